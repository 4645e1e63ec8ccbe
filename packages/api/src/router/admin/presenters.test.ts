import { describe, expect, it } from "vitest";
import { executorRunUrl, maskEmail, maskPushEndpoint } from "./presenters";
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
});

describe("executorRunUrl", () => {
  it("links to the run API of an HTTP executor only", () => {
    expect(executorRunUrl("01ABC", "http://127.0.0.1:8288")).toBe("http://127.0.0.1:8288/v1/runs/01ABC");
    expect(executorRunUrl("01ABC", "https://inngest.internal/")).toBe("https://inngest.internal/v1/runs/01ABC");
    expect(executorRunUrl("01ABC", "1")).toBeNull();
    expect(executorRunUrl("01ABC", "")).toBeNull();
    expect(executorRunUrl(null, "http://127.0.0.1:8288")).toBeNull();
  });
});

describe("readDeliveryContent", () => {
  it("reads what was sent, and nothing from content that is not what the jobs write", () => {
    const email = { from: "N <n@example.test>", to: "a@b.co", subject: "Hi", html: "<p>Hi</p>", text: "Hi" };
    expect(readDeliveryContent("email", email)).toEqual({ email, push: null });
    const push = { title: "T", body: "B", url: "/profile", tag: "profile-change-1" };
    expect(readDeliveryContent("push", push)).toEqual({ email: null, push });
    expect(readDeliveryContent("email", { ...email, html: 3 }).email).toBeNull();
    expect(readDeliveryContent("push", { title: "T" }).push).toBeNull();
    expect(readDeliveryContent("email", null)).toEqual({ email: null, push: null });
  });
});
