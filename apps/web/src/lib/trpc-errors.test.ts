import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { toFormErrors, tooManyMessage } from "./trpc-errors";

describe("toFormErrors", () => {
  it("turns a limit into a calm sentence with the wait", () => {
    const error = new TRPCClientError("Too many profile changes", {
      result: { error: { code: -32029, message: "x", data: { code: "TOO_MANY_REQUESTS", retryAfterSeconds: 42 } } },
    });
    expect(toFormErrors(error)).toEqual({
      fields: {},
      form: "You have saved several changes in a short time. Nothing was lost — please try again in 42 seconds.",
    });
  });

  it("rounds longer waits to minutes", () => {
    expect(tooManyMessage(61)).toContain("in about 2 minutes");
    expect(tooManyMessage(60)).toContain("in about 1 minute.");
    expect(tooManyMessage(1)).toContain("in 1 second.");
  });
});
