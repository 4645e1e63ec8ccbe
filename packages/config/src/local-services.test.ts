import { describe, expect, it } from "vitest";
import { assertLocalServiceAllowed, loadLocalServiceMode, LocalServiceRefusedError } from "./index";

describe("local services in production", () => {
  it("reads NODE_ENV and LOCAL_DEMO", () => {
    expect(loadLocalServiceMode({})).toEqual({ production: false, localDemo: false });
    expect(loadLocalServiceMode({ NODE_ENV: "production", LOCAL_DEMO: "on" })).toEqual({
      production: true,
      localDemo: true,
    });
    expect(() => loadLocalServiceMode({ LOCAL_DEMO: "maybe" })).toThrow(/LOCAL_DEMO must be on or off/);
  });

  it("refuses in production unless a local demo is asked for, by option or environment", () => {
    const production = { NODE_ENV: "production" };
    expect(() => assertLocalServiceAllowed("mailbox", {}, production)).toThrow(LocalServiceRefusedError);
    expect(() => assertLocalServiceAllowed("embedded-postgres", {}, production)).toThrow(
      /embedded PostgreSQL.*NODE_ENV=production.*DATABASE_URL.*LOCAL_DEMO=on/,
    );
    expect(() => assertLocalServiceAllowed("mailbox", {}, { ...production, LOCAL_DEMO: "on" })).not.toThrow();
    expect(() => assertLocalServiceAllowed("push-service", { localDemo: true }, production)).not.toThrow();
    // An explicit option wins over the environment, both ways.
    expect(() => assertLocalServiceAllowed("mailbox", { production: true }, {})).toThrow(/RESEND_API_KEY/);
    expect(() =>
      assertLocalServiceAllowed("mailbox", { localDemo: false }, { ...production, LOCAL_DEMO: "on" }),
    ).toThrow();
    expect(() => assertLocalServiceAllowed("mailbox", {}, { NODE_ENV: "test" })).not.toThrow();
  });
});
