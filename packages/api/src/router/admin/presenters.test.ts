import { describe, expect, it } from "vitest";
import { maskEmail, maskPushEndpoint, maskTarget, toAttemptView } from "./presenters";
import { readDeliveryContent } from "@acme/validators";

describe("masking targets", () => {
  it.each([
    ["user@example.com", "u***@example.com"],
    ["a@b.co", "a***@b.co"],
    ["weird@sub@example.com", "w***@example.com"],
    ["not-an-address", "***"],
  ])("masks %s as %s", (input, masked) => {
    expect(maskEmail(input)).toBe(masked);
  });

  it("keeps a push endpoint's host and last characters", () => {
    expect(maskPushEndpoint("https://fcm.googleapis.com/fcm/send/dXkZ0-abc:APA91bHq123456")).toBe(
      "fcm.googleapis.com/…123456",
    );
    expect(maskPushEndpoint("not a url at all")).toBe("…at all");
  });

  it("shows the marker of a skipped push delivery as it is", () => {
    expect(maskTarget("push", "(no push devices)")).toBe("(no push devices)");
    expect(maskTarget("push", "https://push.example.test/send/abcdef")).toBe("push.example.test/…abcdef");
  });
});

describe("readDeliveryContent", () => {
  it("reads what was sent, and nothing from content that is not what the jobs write", () => {
    const email = { from: "N <n@example.test>", to: "a@b.co", subject: "Hi", html: "<p>Hi</p>", text: "Hi" };
    expect(readDeliveryContent("email", email)).toEqual({ email, push: null });
    const push = { title: "T", body: "B", url: "/profile", tag: "profile-change-1", changeId: "c1", generation: 0 };
    expect(readDeliveryContent("push", push)).toEqual({ email: null, push });
    expect(readDeliveryContent("email", { ...email, html: 3 }).email).toBeNull();
    expect(readDeliveryContent("push", { title: "T" }).push).toBeNull();
    expect(readDeliveryContent("email", null)).toEqual({ email: null, push: null });
  });
});

describe("toAttemptView", () => {
  it("gives a try's duration from its start to its recorded outcome, and none when the start is unknown", () => {
    const base = {
      id: "a1",
      deliveryId: "d1",
      attempt: 1,
      outcome: "queued" as const,
      error: "Email provider answered 500",
      providerStatus: 500,
      runId: "01RUN",
      createdAt: new Date("2026-05-01T10:00:01.250Z"),
    };
    expect(toAttemptView({ ...base, startedAt: new Date("2026-05-01T10:00:00.000Z") })).toMatchObject({
      durationMs: 1250,
      providerStatus: 500,
      finishedAt: base.createdAt,
    });
    expect(toAttemptView({ ...base, startedAt: null }).durationMs).toBeNull();
  });
});
