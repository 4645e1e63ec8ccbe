import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { startPushService } from "./push-service";

// Out-of-process push service for e2e runs. The certificate is kept in a stable place so the
// app server can be started with NODE_EXTRA_CA_CERTS pointing at it.
const blankIsUnset = (v: unknown) => (v === "" ? undefined : v);
const env = z
  .object({
    PUSH_SERVICE_PORT: z.preprocess(blankIsUnset, z.coerce.number().int().min(0).max(65_535).default(8026)),
    PUSH_SERVICE_HOST: z.preprocess(blankIsUnset, z.string().default("127.0.0.1")),
    PUSH_SERVICE_CERT_DIR: z.preprocess(blankIsUnset, z.string().default(join(tmpdir(), "acme-push-service"))),
    PUSH_SERVICE_VAPID_SUBJECTS: z.preprocess(blankIsUnset, z.enum(["contact", "uri"]).default("contact")),
  })
  .parse(process.env);

const service = await startPushService({
  port: env.PUSH_SERVICE_PORT,
  host: env.PUSH_SERVICE_HOST,
  certDir: env.PUSH_SERVICE_CERT_DIR,
  vapidSubjects: env.PUSH_SERVICE_VAPID_SUBJECTS,
});
console.log(`push service listening on ${service.origin}`);
console.log(`  trust it in the sending process: NODE_EXTRA_CA_CERTS=${join(env.PUSH_SERVICE_CERT_DIR, "cert.pem")}`);
console.log(`  new subscription: POST ${service.origin}/__push/subscriptions`);

const shutdown = (): void => {
  service.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
