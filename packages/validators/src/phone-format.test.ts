import { describe, expect, it } from "vitest";
import { formatPhoneNumber } from "./phone-format";
import { phoneNumberSchema } from "./profile";

describe("formatPhoneNumber", () => {
  it("shows stored E.164 numbers in international format", () => {
    expect(formatPhoneNumber("+442079460958")).toBe("+44 20 7946 0958");
    expect(formatPhoneNumber("+14155550123")).toBe("+1 415 555 0123");
  });

  it("reads back to the same stored value, so a formatted field is not a change", () => {
    for (const stored of ["+442079460958", "+14155550123", "+33142685300"]) {
      expect(phoneNumberSchema("US").parse(formatPhoneNumber(stored))).toBe(stored);
    }
  });

  it("leaves what it cannot parse as it is", () => {
    expect(formatPhoneNumber("not a number")).toBe("not a number");
  });
});
