import { describe, expect, it } from "vitest";
import { describeAuthError } from "./auth-errors";

describe("describeAuthError", () => {
  it("names the address to open and the variables to set when the origin is refused", () => {
    const failure = describeAuthError(
      { code: "INVALID_ORIGIN", message: "Invalid origin", status: 403 },
      { origin: "http://192.168.1.20:3000", appUrl: "http://localhost:3000" },
    );
    expect(failure.field).toBeNull();
    expect(failure.message).toContain("Open http://localhost:3000");
    expect(failure.message).toContain("APP_URL");
    expect(failure.message).toContain("add http://192.168.1.20:3000 to TRUSTED_ORIGINS");
  });

  it("puts a taken username next to the username field", () => {
    expect(describeAuthError({ code: "USERNAME_TAKEN" })).toMatchObject({ field: "username" });
  });
});
