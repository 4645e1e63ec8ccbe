import { describe, expect, it } from "vitest";
import { MAX_TTL_SECONDS, parsePushHeaders } from "./headers";
import { subjectProblem } from "./subject";

describe("parsePushHeaders (RFC 8030 §5.2–5.4)", () => {
  it("requires TTL and defaults Urgency to normal", () => {
    expect(parsePushHeaders({})).toEqual({ ok: false, message: "Missing TTL header." });
    expect(parsePushHeaders({ ttl: "60" })).toEqual({
      ok: true,
      value: { ttl: 60, retainedTtl: 60, urgency: "normal", topic: null },
    });
  });

  it("shortens a TTL over four weeks and keeps what was asked", () => {
    expect(parsePushHeaders({ ttl: String(MAX_TTL_SECONDS + 1) })).toMatchObject({
      ok: true,
      value: { ttl: MAX_TTL_SECONDS + 1, retainedTtl: MAX_TTL_SECONDS },
    });
  });

  it.each([
    { ttl: "" },
    { ttl: "1e3" },
    { ttl: "99999999999999999999" },
    { ttl: "60", urgency: "HIGH" },
    { ttl: "60", topic: "" },
  ])("refuses %o", (headers) => {
    expect(parsePushHeaders(headers).ok).toBe(false);
  });
});

describe("subjectProblem", () => {
  it("checks the RFC 8292 form under both policies", () => {
    for (const policy of ["uri", "contact"] as const) {
      expect(subjectProblem("ops@acme.dev", policy)).toMatch(/mailto: or https:/);
      expect(subjectProblem("http://acme.dev", policy)).toMatch(/mailto: or https:/);
      expect(subjectProblem("mailto:", policy)).toMatch(/mailto: or https:/);
    }
    expect(subjectProblem("mailto:a@localhost", "uri")).toBeNull();
  });

  it("accepts only reachable contacts under the contact policy", () => {
    expect(subjectProblem("mailto:ops@acme.dev", "contact")).toBeNull();
    expect(subjectProblem("https://www.acme.com/push-contact", "contact")).toBeNull();
    for (const subject of [
      "mailto:a@localhost",
      "mailto:a@app.localhost",
      "mailto:a@example.net",
      "mailto:a@x.example",
      "mailto:a@host",
      "https://[::1]/",
      "https://10.0.0.1",
      "https://example.org",
      "https://intranet.internal",
      "https://router.home.arpa",
    ]) {
      expect(subjectProblem(subject, "contact"), subject).toMatch(/not a reachable contact/);
    }
  });
});
