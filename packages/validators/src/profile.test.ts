import { describe, expect, it } from "vitest";
import { phoneNumberSchema, updateProfileInputSchema, usernameSchema } from "./profile";
import { profileUpdatedEventData } from "./events";
import { pushSubscriptionSchema } from "./push";
import { parseProfileChanges } from "./changes";

describe("usernameSchema", () => {
  it("trims and accepts letters, digits and _", () => {
    expect(usernameSchema.parse("  Jane_Doe42 ")).toBe("Jane_Doe42");
  });
  it.each(["ab", "x".repeat(31), "no spaces", "dash-es", "dot.ted"])("rejects %j", (value) => {
    expect(usernameSchema.safeParse(value).success).toBe(false);
  });
});

describe("phoneNumberSchema", () => {
  it("reads national numbers with the configured region", () => {
    expect(phoneNumberSchema("GB").parse("020 7946 0958")).toBe("+442079460958");
    expect(phoneNumberSchema("US").parse("(415) 555-0123")).toBe("+14155550123");
  });
  it("accepts null to clear the number", () => {
    expect(phoneNumberSchema("US").parse(null)).toBeNull();
  });
});

describe("updateProfileInputSchema", () => {
  const schema = updateProfileInputSchema("US");
  it("rejects unknown keys by name", () => {
    const result = schema.safeParse({ username: "valid_name", userId: "someone" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("Unknown field(s): userId");
  });
  it("needs at least one field", () => {
    expect(schema.safeParse({}).error?.issues[0]?.message).toMatch(/at least one/);
  });
});

describe("payload schemas", () => {
  it("requires a non-empty list of known changed fields for a profile update, none for other account events", () => {
    expect(profileUpdatedEventData.safeParse({ changeId: "c", userId: "u", changedFields: [] }).success).toBe(false);
    expect(
      profileUpdatedEventData.safeParse({ changeId: "c", userId: "u", kind: "profile_updated", changedFields: [] })
        .success,
    ).toBe(false);
    expect(
      profileUpdatedEventData.safeParse({ changeId: "c", userId: "u", kind: "password_changed", changedFields: [] })
        .success,
    ).toBe(true);
    expect(
      profileUpdatedEventData.safeParse({ changeId: "c", userId: "u", kind: "nonsense", changedFields: [] }).success,
    ).toBe(false);
    expect(profileUpdatedEventData.safeParse({ changeId: "c", userId: "u", changedFields: ["email"] }).success).toBe(
      false,
    );
    expect(
      profileUpdatedEventData.parse({ changeId: "c", userId: "u", changedFields: ["phoneNumber"] }).changedFields,
    ).toEqual(["phoneNumber"]);
  });
  it("accepts a browser's subscription JSON and rejects bad endpoints and keys", () => {
    const keys = { p256dh: Buffer.alloc(65, 4).toString("base64url"), auth: Buffer.alloc(16, 7).toString("base64url") };
    expect(
      pushSubscriptionSchema.safeParse({ endpoint: "https://push.example/abc", expirationTime: null, keys }).success,
    ).toBe(true);
    expect(pushSubscriptionSchema.safeParse({ endpoint: "javascript:alert(1)", keys }).success).toBe(false);
    expect(pushSubscriptionSchema.safeParse({ endpoint: "http://push.example/abc", keys }).success).toBe(false);
    expect(
      pushSubscriptionSchema.safeParse({ endpoint: "https://push.example/abc", keys: { ...keys, p256dh: "BNc" } }).error
        ?.issues[0]?.message,
    ).toMatch(/65 bytes/);
    expect(
      pushSubscriptionSchema.safeParse({ endpoint: "https://push.example/abc", keys: { ...keys, auth: "tBH" } }).error
        ?.issues[0]?.path,
    ).toEqual(["keys", "auth"]);
  });
});

describe("profileChangesSchema", () => {
  it("reads what user.update writes and refuses anything else", () => {
    const changes = { username: { from: "a", to: "b" }, phoneNumber: { from: null, to: "+14155550100" } };
    expect(parseProfileChanges(changes)).toEqual(changes);
    expect(() => parseProfileChanges({ email: { from: "a", to: "b" } })).toThrow();
    expect(() => parseProfileChanges({ username: { from: "a" } })).toThrow();
  });
});
