import { describe, expect, it } from "vitest";
import { ConfigError, loadServerConfig } from "./index";

const base = { DATABASE_URL: "postgresql://localhost/db" };

describe("security settings", () => {
  it("has safe defaults", () => {
    const { security } = loadServerConfig(base);
    expect(security.pushEndpoints.allowedHosts).toContain("fcm.googleapis.com");
    expect(security.pushEndpoints.localOrigins).toEqual([]);
    expect(security.pushMaxDevices).toBe(10);
    expect(security.trustedProxies).toEqual({ mode: "none" });
    expect(security.rateLimits.userUpdate).toEqual({ max: 10, windowSeconds: 60 });
    expect(security.api).toEqual({
      maxBatch: 10,
      maxBodyBytes: 100_000,
      requestConcurrency: 2,
      statementTimeoutMs: 10_000,
    });
    expect(security.retention.profileChangeDays).toBe(90);
  });

  it("reads trusted proxies as a hop count or an address list", () => {
    expect(loadServerConfig({ ...base, TRUSTED_PROXIES: "2" }).security.trustedProxies).toEqual({
      mode: "hops",
      hops: 2,
    });
    expect(loadServerConfig({ ...base, TRUSTED_PROXIES: "10.0.0.0/8, ::1" }).security.trustedProxies).toEqual({
      mode: "addresses",
      addresses: ["10.0.0.0/8", "::1"],
    });
    expect(() => loadServerConfig({ ...base, TRUSTED_PROXIES: "proxy.local" })).toThrow(ConfigError);
  });

  it("widens the push host allow-list and names local push services", () => {
    const { security } = loadServerConfig({
      ...base,
      PUSH_ALLOWED_HOSTS: "Push.Example.org",
      PUSH_LOCAL_ORIGINS: "https://127.0.0.1:8036",
    });
    expect(security.pushEndpoints.allowedHosts).toContain("push.example.org");
    expect(security.pushEndpoints.localOrigins).toEqual(["https://127.0.0.1:8036"]);
  });
});

describe("the app's front", () => {
  it("binds development to loopback and production to every interface, unless HOST says otherwise", async () => {
    const { loadFrontConfig } = await import("./index");
    expect(loadFrontConfig({}).host).toBe("127.0.0.1");
    expect(loadFrontConfig({ NODE_ENV: "production" }).host).toBe("0.0.0.0");
    expect(loadFrontConfig({ HOST: "0.0.0.0" }).host).toBe("0.0.0.0");
    expect(loadFrontConfig({ TRUSTED_PROXIES: "1" }).trustedProxies).toEqual({ mode: "hops", hops: 1 });
  });

  it("refuses an unsigned Inngest endpoint reachable from other machines", async () => {
    const { frontProblem, loadFrontConfig } = await import("./index");
    expect(frontProblem(loadFrontConfig({ INNGEST_DEV: "http://127.0.0.1:8288" }))).toBeNull();
    expect(frontProblem(loadFrontConfig({ HOST: "0.0.0.0", INNGEST_DEV: "http://127.0.0.1:8288" }))).toMatch(
      /unsigned/,
    );
    expect(
      frontProblem(loadFrontConfig({ HOST: "0.0.0.0", INNGEST_DEV: "0", INNGEST_SIGNING_KEY: "signkey-x" })),
    ).toBeNull();
  });
});
