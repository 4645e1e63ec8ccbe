import { z } from "zod";
import { LOCAL_SENDER_DOMAIN, RESEND_DEFAULT_RATE_LIMIT, startMailbox } from "./index";

// Local stand-in for api.resend.com: point the app at it with RESEND_BASE_URL and RESEND_API_KEY.
const blankIsUnset = (v: unknown) => (v === "" ? undefined : v);
const env = z
  .object({
    MAILBOX_PORT: z.preprocess(blankIsUnset, z.coerce.number().int().min(0).max(65_535).default(8025)),
    MAILBOX_HOST: z.preprocess(blankIsUnset, z.string().default("127.0.0.1")),
    MAILBOX_DATA_DIR: z.preprocess(blankIsUnset, z.string().optional()),
    MAILBOX_API_KEY: z.preprocess(blankIsUnset, z.string().optional()),
    MAILBOX_VERIFIED_DOMAINS: z.preprocess(
      blankIsUnset,
      z
        .string()
        .default(LOCAL_SENDER_DOMAIN)
        .transform((v) =>
          v
            .split(",")
            .map((d) => d.trim())
            .filter(Boolean),
        ),
    ),
    MAILBOX_RATE_LIMIT: z.preprocess(blankIsUnset, z.coerce.number().int().min(1).default(RESEND_DEFAULT_RATE_LIMIT)),
  })
  .parse(process.env);

const mailbox = await startMailbox({
  port: env.MAILBOX_PORT,
  host: env.MAILBOX_HOST,
  dataDir: env.MAILBOX_DATA_DIR,
  apiKey: env.MAILBOX_API_KEY,
  verifiedDomains: env.MAILBOX_VERIFIED_DOMAINS,
  rateLimit: env.MAILBOX_RATE_LIMIT,
});
console.log(`mailbox listening on ${mailbox.url}`);
console.log(`  RESEND_BASE_URL=${mailbox.url} RESEND_API_KEY=${mailbox.apiKey}`);
console.log(`  verified sender domains: ${mailbox.verifiedDomains.join(", ")}; ${mailbox.rateLimit} requests/s`);
console.log(`  messages: GET ${mailbox.url}/__mailbox/messages`);

const shutdown = (): void => {
  mailbox.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
