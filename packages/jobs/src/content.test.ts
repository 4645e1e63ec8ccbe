import { createElement } from "react";
import { render } from "@react-email/render";
import { describe, expect, it } from "vitest";
import { buildPushPayload, describeUserAgent, maskPhoneNumber, summarizeChanges } from "./content";
import { ProfileUpdatedEmail, renderProfileUpdatedEmail } from "./channels/email-template";

describe("notification content", () => {
  it("masks phone numbers to their last two digits", () => {
    expect(maskPhoneNumber("+14155550110")).toBe("ending in 10");
  });

  it("names each changed field and never prints a full phone number", () => {
    const summary = summarizeChanges({
      username: { from: "a", to: "bob" },
      phoneNumber: { from: "+14155550100", to: "+14155550110" },
    });
    expect(summary.lines).toEqual(["username changed from “a” to “bob”", "phone number changed to one ending in 10"]);
    expect(summary.sentence).toBe(
      "Your username changed from “a” to “bob” and phone number changed to one ending in 10.",
    );
    expect(summary.sentence).not.toContain("4155550110");
  });

  it("describes added and removed phone numbers", () => {
    expect(summarizeChanges({ phoneNumber: { from: null, to: "+14155550142" } }).lines).toEqual([
      "phone number ending in 42 added",
    ]);
    expect(summarizeChanges({ phoneNumber: { from: "+14155550142", to: null } }).lines).toEqual([
      "phone number ending in 42 removed",
    ]);
  });

  it("builds a push payload with the security notice and a link to the profile", () => {
    const payload = buildPushPayload("chg_1", 2, { username: { from: "a", to: "bob" } }, "https://app.example");
    expect(payload).toEqual({
      changeId: "chg_1",
      generation: 2,
      title: "Your profile has been updated",
      body: "Your username changed from “a” to “bob”. If it was not done by you, please contact support.",
      url: "https://app.example/profile",
      tag: "profile-change-chg_1",
    });
  });

  it("reads common user agents", () => {
    expect(
      describeUserAgent(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
      ),
    ).toBe("Chrome on macOS");
    expect(describeUserAgent(null)).toBe("an unknown browser");
    expect(describeUserAgent("Call 555-0100 to undo this change")).toBe("an unknown browser");
    // The typed API client (Node's fetch) and other HTTP libraries are programs, not devices.
    expect(describeUserAgent("node")).toBe("a program using the API");
    expect(describeUserAgent("curl/8.5.0")).toBe("a program using the API");
  });
});

describe("profile updated email", () => {
  it("renders HTML and text with the changes, the device and the support notice, escaping user text", async () => {
    const email = await renderProfileUpdatedEmail({
      username: "<script>alert(1)</script>",
      changes: ["username changed to “<b>x</b>”"],
      changedAt: new Date("2026-11-28T10:00:00Z"),
      device: "Firefox on Linux",
      ipAddress: "203.0.113.7",
      profileUrl: "https://app.example/profile",
      supportUrl: "https://app.example/support",
    });
    expect(email.subject).toBe("Your profile has been updated");
    expect(email.html).not.toContain("<script>alert(1)</script>");
    expect(email.html).toContain("&lt;script&gt;");
    expect(email.html).not.toContain("<b>x</b>");
    expect(email.html).toContain('href="https://app.example/support"');
    expect(email.text).toContain("If it was not done by you, please contact support");
    // The headline once, not repeated in the warning box.
    expect(email.text.match(/your profile has been updated/gi)).toHaveLength(1);
    expect(email.text).toContain("Firefox on Linux (IP 203.0.113.7)");
    expect(email.text).toContain("When: November 28, 2026 at 10:00 AM UTC");
    // The inbox preview line (hidden in the body) names the change.
    expect(email.html).toContain("Username changed to “&lt;b&gt;x&lt;/b&gt;”");
  });

  it("has the text React Email's own plain-text rendering gives, from one render", async () => {
    const props = {
      username: "ada_l",
      changes: ["username changed to “ada_l”", "phone number ending in 10 added"],
      changedAt: new Date("2026-11-28T10:00:00Z"),
      device: "Chrome on Linux",
      ipAddress: null,
      profileUrl: "https://app.example/profile",
      supportUrl: "https://app.example/support",
      secureUrl: "https://app.example/secure/abc",
    };
    const email = await renderProfileUpdatedEmail(props);
    expect(email.text).toBe(await render(createElement(ProfileUpdatedEmail, props), { plainText: true }));
    expect(email.text).toContain("Phone number ending in 10 added");
  });
});
