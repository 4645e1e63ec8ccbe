import { describe, expect, it } from "vitest";
import { ConfigError, loadDevstackConfig, loadServerConfig, runPageFor } from "./index";

const base = { DATABASE_URL: "postgresql://localhost/db" };

describe("loadServerConfig", () => {
  it("fills every default from one place", () => {
    const config = loadServerConfig({ ...base, PORT: "3100" });
    expect(config.appUrl).toBe("http://localhost:3100");
    expect(config.email.supportUrl).toBe("http://localhost:3100/support");
    expect(config.defaultPhoneRegion).toBe("US");
    expect(config.database).toEqual({ url: "postgresql://localhost/db", poolSize: 5 });
    expect(config.outbox).toEqual({ relay: true, sweepIntervalMs: 5_000 });
    expect(config.mailbox).toEqual({ mode: "unconfigured" });
    expect(config.push.vapid).toBeNull();
    expect(config.delivery).toEqual({ retryHorizonMs: 24 * 60 * 60_000, emailRatePerSecond: 2 });
  });

  it("treats empty variables as unset", () => {
    expect(loadServerConfig({ ...base, APP_URL: "", DEFAULT_PHONE_REGION: "" }).appUrl).toBe("http://localhost:3000");
  });

  it("names each invalid variable and its rule", () => {
    const error = (() => {
      try {
        loadServerConfig({
          ...base,
          PORT: "http",
          DEFAULT_PHONE_REGION: "XX",
          APP_URL: "ftp://x",
          OUTBOX_RELAY: "maybe",
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toEqual(
      expect.arrayContaining([
        "PORT must be a number",
        "DEFAULT_PHONE_REGION must be a two-letter country code",
        "APP_URL must be an http(s) URL",
        "OUTBOX_RELAY must be on or off",
      ]),
    );
  });

  it("requires a database and, in production, an auth secret", () => {
    expect(() => loadServerConfig({})).toThrow(/DATABASE_URL is not set/);
    expect(() => loadServerConfig({ ...base, NODE_ENV: "production" })).toThrow(/BETTER_AUTH_SECRET is required/);
    expect(() => loadServerConfig({ ...base, BETTER_AUTH_SECRET: "short" })).toThrow(/at least 32 characters/);
  });

  it("reads the phone region case-insensitively", () => {
    expect(loadServerConfig({ ...base, DEFAULT_PHONE_REGION: "gb" }).defaultPhoneRegion).toBe("GB");
  });

  it("tells the local mailbox from real Resend", () => {
    expect(loadServerConfig({ ...base, RESEND_BASE_URL: "http://127.0.0.1:8025/" }).mailbox).toEqual({
      mode: "local",
      baseUrl: "http://127.0.0.1:8025",
      apiKey: "re_local_mailbox",
    });
    expect(loadServerConfig({ ...base, RESEND_API_KEY: "re_live_123" }).mailbox).toEqual({ mode: "resend" });
  });

  it("reads runs from the Inngest server the SDK talks to, and opens them where a person can", () => {
    const inngest = (env: Record<string, string>) => loadServerConfig({ ...base, ...env }).inngest;
    // A Dev Server (or the embedded executor in `pnpm dev`), named or by the SDK's default address.
    expect(inngest({ INNGEST_DEV: "http://127.0.0.1:8288/" })).toEqual({
      apiUrl: "http://127.0.0.1:8288",
      signingKey: null,
      env: null,
      runPageUrl: "http://127.0.0.1:8288/run?runID={runId}",
    });
    expect(inngest({ INNGEST_DEV: "1" }).apiUrl).toBe("http://localhost:8288");
    // Self-hosted: its API with the signing key.
    expect(inngest({ INNGEST_BASE_URL: "https://inngest.internal", INNGEST_SIGNING_KEY: "signkey-prod-abc" })).toEqual({
      apiUrl: "https://inngest.internal",
      signingKey: "signkey-prod-abc",
      env: null,
      runPageUrl: "https://inngest.internal/run?runID={runId}",
    });
    // Inngest Cloud: its REST API when a signing key is set, and its dashboard (branch environments too).
    expect(inngest({ INNGEST_DEV: "0", INNGEST_SIGNING_KEY: "signkey-prod-abc", INNGEST_ENV: "preview-42" })).toEqual({
      apiUrl: "https://api.inngest.com",
      signingKey: "signkey-prod-abc",
      env: "preview-42",
      runPageUrl: "https://app.inngest.com/env/preview-42/runs/{runId}",
    });
    // Nothing configured: nothing to read or open.
    expect(inngest({})).toEqual({ apiUrl: null, signingKey: null, env: null, runPageUrl: null });
    // The embedded executor has no UI: the dev stack turns the page off.
    expect(inngest({ INNGEST_DEV: "http://127.0.0.1:8288", INNGEST_RUN_PAGE_URL: "off" }).runPageUrl).toBeNull();
    expect(() => loadServerConfig({ ...base, INNGEST_RUN_PAGE_URL: "https://x.test/runs" })).toThrow(
      /INNGEST_RUN_PAGE_URL must be off or an http\(s\) URL containing \{runId\}/,
    );
  });

  it("fills a run's page from the template", () => {
    expect(runPageFor({ runPageUrl: "https://app.inngest.com/env/production/runs/{runId}" }, "01ABC")).toBe(
      "https://app.inngest.com/env/production/runs/01ABC",
    );
    expect(runPageFor({ runPageUrl: null }, "01ABC")).toBeNull();
  });
});

describe("loadDevstackConfig", () => {
  it("starts every embedded piece unless configured otherwise", () => {
    const config = loadDevstackConfig({});
    expect(config.database.external).toBe(false);
    expect(config.mailbox).toEqual({ embedded: true, port: 8025, rateLimit: 2, verifiedDomains: [] });
    expect(config.executor.embedded).toBe(true);
    expect(config.seedDemoUsers).toBeUndefined();
    const configured = loadDevstackConfig({
      DATABASE_URL: "postgresql://x/y",
      RESEND_API_KEY: "re_x",
      INNGEST_DEV: "1",
      SEED_DEMO_USERS: "off",
    });
    expect(configured).toMatchObject({
      database: { external: true },
      mailbox: { embedded: false },
      executor: { embedded: false },
      seedDemoUsers: false,
    });
  });

  it("reads the local mailbox's rate limit and extra verified sender domains", () => {
    const config = loadDevstackConfig({
      MAILBOX_RATE_LIMIT: "500",
      MAILBOX_VERIFIED_DOMAINS: "acme.com, mail.acme.com",
    });
    expect(config.mailbox).toMatchObject({ rateLimit: 500, verifiedDomains: ["acme.com", "mail.acme.com"] });
    expect(() => loadDevstackConfig({ MAILBOX_RATE_LIMIT: "0" })).toThrow(/MAILBOX_RATE_LIMIT must be at least 1/);
  });
});
