import { describe, expect, it } from "vitest";
import { preflight, senderDomain, vapidSubjectProblem } from "./preflight";

const embedded = { embeddedMailbox: true, embeddedExecutor: true, embeddedDatabase: true };
const real = { embeddedMailbox: false, embeddedExecutor: false, embeddedDatabase: false };
const goodProduction = {
  APP_URL: "https://profile.acme.io",
  BETTER_AUTH_SECRET: "k3J9v2Lq8Zt1Xw5Rb7Nc4Hm6Pf0Sd2Ga",
  RESEND_API_KEY: "re_live_123",
  EMAIL_FROM: "Profile Notify <notifications@acme.io>",
  VAPID_PUBLIC_KEY: "pub",
  VAPID_PRIVATE_KEY: "priv",
  VAPID_SUBJECT: "mailto:ops@acme.io",
  INNGEST_EVENT_KEY: "event-key",
  INNGEST_SIGNING_KEY: `signkey-prod-${"ab".repeat(32)}`,
  DATABASE_URL: "postgresql://db.acme.io/app",
};
const variables = (findings: { level: string; variable: string }[], level = "error") =>
  findings.filter((f) => f.level === level).map((f) => f.variable);

describe("preflight", () => {
  it("lets a local demo on the embedded defaults start", () => {
    expect(variables(preflight({ env: { APP_URL: "http://localhost:3000" }, ...embedded }))).toEqual([]);
  });

  it("accepts a complete production configuration", () => {
    expect(preflight({ env: goodProduction, ...real })).toEqual([]);
  });

  it("refuses real providers with the unsafe defaults, naming each variable", () => {
    const findings = preflight({ env: { RESEND_API_KEY: "re_live_123" }, ...embedded, embeddedMailbox: false });
    expect(variables(findings)).toEqual(["BETTER_AUTH_SECRET", "EMAIL_FROM", "VAPID_SUBJECT"]);
    expect(findings.find((f) => f.variable === "EMAIL_FROM")!.message).toMatch(/example\.com/);
  });

  it("refuses a sender on a domain that can never be verified, http on a public origin, a weak secret", () => {
    const findings = preflight({
      env: {
        ...goodProduction,
        EMAIL_FROM: "Acme <notify@example.com>",
        APP_URL: "http://profile.acme.io",
        BETTER_AUTH_SECRET: "a".repeat(40),
      },
      ...real,
    });
    expect(variables(findings)).toEqual(["BETTER_AUTH_SECRET", "APP_URL", "EMAIL_FROM"]);
  });

  it("needs both Inngest keys, in Inngest's format, when the executor is not embedded", () => {
    const { INNGEST_EVENT_KEY: _event, ...withoutEventKey } = goodProduction;
    expect(variables(preflight({ env: withoutEventKey, ...real }))).toEqual(["INNGEST_EVENT_KEY"]);
    expect(variables(preflight({ env: { ...goodProduction, INNGEST_SIGNING_KEY: "secret" }, ...real }))).toEqual([
      "INNGEST_SIGNING_KEY",
    ]);
  });
});

describe("vapidSubjectProblem", () => {
  it.each([
    ["mailto:ops@acme.io", null],
    ["https://acme.io/contact", null],
    ["mailto:support@example.com", /not a real contact/],
    ["mailto:me@localhost", /not a real contact/],
    ["https://localhost/contact", /not a public contact/],
    ["ops@acme.io", /mailto: address or an https: URL/],
    [undefined, /not set/],
  ])("%s", (subject, problem) => {
    const result = vapidSubjectProblem(subject);
    if (problem === null) expect(result).toBeNull();
    else expect(result).toMatch(problem);
  });
});

describe("senderDomain", () => {
  it("reads plain and named addresses", () => {
    expect(senderDomain("Acme <Notify@Acme.IO>")).toBe("acme.io");
    expect(senderDomain("notify@acme.io")).toBe("acme.io");
    expect(senderDomain("nobody")).toBeNull();
  });
});
