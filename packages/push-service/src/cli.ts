import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPushService } from "./push-service";

// Out-of-process push service for e2e runs. The certificate is kept in a stable place so the
// app server can be started with NODE_EXTRA_CA_CERTS pointing at it.
const certDir = process.env.PUSH_SERVICE_CERT_DIR || join(tmpdir(), "acme-push-service");
const service = await startPushService({
  port: Number(process.env.PUSH_SERVICE_PORT ?? 8026),
  host: process.env.PUSH_SERVICE_HOST ?? "127.0.0.1",
  certDir,
});
console.log(`push service listening on ${service.origin}`);
console.log(`  trust it in the sending process: NODE_EXTRA_CA_CERTS=${join(certDir, "cert.pem")}`);
console.log(`  new subscription: POST ${service.origin}/__push/subscriptions`);

const shutdown = (): void => {
  service.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
