import { describe, expect, it } from "vitest";
import { loadWorkerConfig, workerEnvironment } from "./worker";

describe("the worker's configuration", () => {
  it("passes on what the worker and the SDK read, and nothing else", () => {
    const read = {
      DATABASE_URL: "postgresql://localhost/db",
      RESEND_API_KEY: "re_123",
      WORKER_PORT: "9000",
      INNGEST_SIGNING_KEY: "signkey-prod-abc",
      NODE_EXTRA_CA_CERTS: "/tmp/ca.pem",
      PATH: "/usr/bin",
    };
    expect(workerEnvironment({ ...read, npm_package_name: "profile-notify", TERM: "xterm", UNSET: undefined })).toEqual(
      read,
    );
  });

  it("reads its port, host and pool beside the app's settings", () => {
    const config = loadWorkerConfig({ DATABASE_URL: "postgresql://localhost/db", WORKER_POOL_SIZE: "3" });
    expect(config).toMatchObject({ port: 8289, host: "127.0.0.1", poolSize: 3 });
    expect(config.server.database.url).toBe("postgresql://localhost/db");
  });
});
