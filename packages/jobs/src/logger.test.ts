import { NonRetriableError, RetryAfterError } from "inngest";
import { describe, expect, it } from "vitest";
import { createJobsLogger, formatLogCall, ProviderFailure } from "./logger";

describe("the jobs' Inngest logger", () => {
  it("prints an expected provider failure as one line, without a stack", () => {
    const failure = new ProviderFailure("Email provider answered 500: internal_server_error");
    expect(formatLogCall([{ err: failure }, "Inngest step error"])).toBe(
      "Inngest step error: ProviderFailure: Email provider answered 500: internal_server_error",
    );
    expect(
      formatLogCall([{ err: new RetryAfterError("429 from provider", 2_000) }, "Inngest step error"]),
    ).not.toContain("\n");
    expect(formatLogCall([{ err: new NonRetriableError("1 of 2 deliveries failed") }, "Inngest function error"])).toBe(
      "Inngest function error: NonRetriableError: 1 of 2 deliveries failed",
    );
  });

  it("keeps the stack of an unexpected error", () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const printed = formatLogCall([{ err: bug }, "Inngest step error"]);
    expect(printed.split("\n")[0]).toBe(
      "Inngest step error: TypeError: Cannot read properties of undefined (reading 'id')",
    );
    expect(printed).toContain("logger.test.ts");
  });

  it("passes plain messages through and drops debug output", () => {
    const lines: unknown[][] = [];
    const out = { info: (...a: unknown[]) => lines.push(a), warn: (...a: unknown[]) => lines.push(a), error: () => {} };
    const logger = createJobsLogger(out);
    logger.info("registered", 4, "functions");
    logger.debug("memoized step", { id: "x" });
    expect(lines).toEqual([["[jobs]", "registered 4 functions"]]);
  });
});
