import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, devices } from "@playwright/test";
import { findChromium } from "./e2e/browser";
import { E2E_PORTS } from "./e2e/ports";

// The production build on the embedded defaults (fresh PGlite, executor, mailbox), plus the
// local push service whose certificate the app trusts through NODE_EXTRA_CA_CERTS.
const E2E = {
  port: E2E_PORTS.app,
  executorPort: E2E_PORTS.executor,
  mailboxPort: E2E_PORTS.mailbox,
  pushPort: E2E_PORTS.push,
};
const runDir =
  process.env.E2E_RUN_DIR ?? (process.env.E2E_RUN_DIR = mkdtempSync(path.join(tmpdir(), "profile-notify-e2e-")));
const certDir = path.join(runDir, "push-cert");
const chromiumPath = findChromium();
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: `http://localhost:${E2E.port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      ...(chromiumPath && { executablePath: chromiumPath }),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: [
    {
      command: "pnpm --filter @acme/push-service start",
      cwd: repoRoot,
      url: `https://127.0.0.1:${E2E.pushPort}/__push/messages`,
      ignoreHTTPSErrors: true,
      env: { PUSH_SERVICE_PORT: String(E2E.pushPort), PUSH_SERVICE_CERT_DIR: certDir },
      timeout: 60_000,
      reuseExistingServer: false,
    },
    {
      command: "pnpm --filter @acme/devstack start --prod",
      cwd: repoRoot,
      url: `http://localhost:${E2E.port}/api/auth/ok`,
      env: {
        PORT: String(E2E.port),
        APP_URL: `http://localhost:${E2E.port}`,
        EXECUTOR_PORT: String(E2E.executorPort),
        WORKER_PORT: String(E2E_PORTS.worker),
        MAILBOX_PORT: String(E2E.mailboxPort),
        EMBEDDED_POSTGRES_PORT: String(E2E_PORTS.postgres),
        DEVSTACK_DATA_DIR: path.join(runDir, "data"),
        NODE_EXTRA_CA_CERTS: path.join(certDir, "cert.pem"),
        OUTBOX_SWEEP_INTERVAL_MS: "1000",
        SEED_DEMO_USERS: "on",
        EXECUTOR_RETRY_DELAY_MS: "300",
        DATABASE_URL: "",
        INNGEST_DEV: "",
        INNGEST_EVENT_KEY: "",
        RESEND_API_KEY: "",
        // The local push service refuses placeholder subjects (example.com, localhost) as Apple's does.
        VAPID_SUBJECT: "mailto:ops@acme.dev",
        // The browser's subscriptions point at the local push service (no route to real ones here).
        PUSH_LOCAL_ORIGINS: `https://127.0.0.1:${E2E.pushPort}`,
        // Low enough for security.spec.ts to reach it; each test uses its own new user.
        RATE_LIMIT_USER_UPDATE: "5",
        // The suite signs up dozens of users from one address within a minute.
        AUTH_RATE_LIMIT_PER_MINUTE: "1000",
      },
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "pipe",
    },
  ],
});
