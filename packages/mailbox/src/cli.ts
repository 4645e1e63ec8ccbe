import { startMailbox } from "./mailbox";

// Local stand-in for api.resend.com: point the app at it with RESEND_BASE_URL.
const port = Number(process.env.MAILBOX_PORT ?? 8025);
const mailbox = await startMailbox({
  port,
  host: process.env.MAILBOX_HOST ?? "127.0.0.1",
  dataDir: process.env.MAILBOX_DATA_DIR || undefined,
  apiKey: process.env.MAILBOX_API_KEY || undefined,
});
console.log(`mailbox listening on ${mailbox.url} (RESEND_BASE_URL=${mailbox.url})`);
console.log(`  messages: GET ${mailbox.url}/__mailbox/messages`);

const shutdown = (): void => {
  mailbox.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
