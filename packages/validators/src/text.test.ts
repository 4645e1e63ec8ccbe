import { describe, expect, it } from "vitest";
import { pushSubscriptionSchema } from "./push";
import { phoneNumberSchema, usernameSchema } from "./profile";

describe("control characters", () => {
  it.each(["bob\u0000", "bo\u0007b", "bob\u007f", "bob\u0085"])("are refused in a username (%j)", (value) => {
    expect(usernameSchema.safeParse(value).error?.issues[0]?.message).toBe(
      "Username must not contain control characters",
    );
  });

  it("are refused in a phone number, even where the number would still parse", () => {
    expect(phoneNumberSchema("US").safeParse("+1 415 555 0123\u0000").error?.issues[0]?.message).toBe(
      "Phone number must not contain control characters",
    );
  });

  it("are refused in a push endpoint", () => {
    const keys = { p256dh: Buffer.alloc(65, 4).toString("base64url"), auth: Buffer.alloc(16, 7).toString("base64url") };
    const result = pushSubscriptionSchema.safeParse({ endpoint: "https://push.example/a\u0000b", keys });
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["endpoint", "endpoint must not contain control characters"],
    ]);
  });
});
