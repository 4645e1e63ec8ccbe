import { describe, expect, it } from "vitest";
import { loadDevstackConfig } from "@acme/config";
import { checkResendDomain, runDoctor } from "./checks";

// A stand-in for Resend's GET /domains, answering as Resend does.
function resend(status: number, body: unknown): typeof fetch {
  return async () => new Response(JSON.stringify(body), { status });
}

describe("the doctor", () => {
  it("passes a local demo on the embedded defaults without asking anyone", async () => {
    const unreachable = (async () => {
      throw new Error("no network");
    }) as typeof fetch;
    expect(await runDoctor({}, loadDevstackConfig({}), unreachable)).toEqual([]);
  });

  it("asks Resend whether the sender domain is verified", async () => {
    const verified = resend(200, { data: [{ name: "acme.io", status: "verified" }] });
    expect(await checkResendDomain("re_live", "https://api.resend.com", "acme.io", verified)).toEqual([]);
    const pending = resend(200, { data: [{ name: "acme.io", status: "pending" }] });
    expect(await checkResendDomain("re_live", "https://api.resend.com", "acme.io", pending)).toEqual([
      { level: "error", variable: "EMAIL_FROM", message: "acme.io is pending in Resend, not verified" },
    ]);
    const other = resend(200, { data: [{ name: "other.io", status: "verified" }] });
    expect((await checkResendDomain("re_live", "https://api.resend.com", "acme.io", other))[0]!.message).toMatch(
      /not a domain of this Resend account/,
    );
  });

  it("tells a refused key from a sending-only key and from no network", async () => {
    const refused = resend(403, { statusCode: 403, name: "invalid_api_key", message: "API key is invalid" });
    expect((await checkResendDomain("re_x", "https://api.resend.com", "acme.io", refused))[0]).toMatchObject({
      level: "error",
      variable: "RESEND_API_KEY",
    });
    const restricted = resend(401, { statusCode: 401, name: "restricted_api_key", message: "restricted" });
    expect((await checkResendDomain("re_x", "https://api.resend.com", "acme.io", restricted))[0]!.level).toBe(
      "warning",
    );
  });

  it("refuses real Resend with the example.com default before asking Resend", async () => {
    let asked = false;
    const spy = (async () => {
      asked = true;
      return new Response("{}");
    }) as typeof fetch;
    const env = { RESEND_API_KEY: "re_live_123" };
    const findings = await runDoctor(env, loadDevstackConfig(env), spy);
    expect(findings.filter((f) => f.level === "error").map((f) => f.variable)).toContain("EMAIL_FROM");
    expect(asked).toBe(false);
  });
});
