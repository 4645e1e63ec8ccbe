import { describe, expect, it } from "vitest";
import { allowedMethods, crossSiteRefusal } from "./request-guard";

const own = ["http://localhost:3000"];
const cookie = "better-auth.session_token=abc.def";
const req = (method: string, headers: Record<string, string>) => ({ method, headers: new Headers(headers) });

describe("crossSiteRefusal", () => {
  it("refuses cookie-authenticated writes from another site", () => {
    expect(crossSiteRefusal(req("POST", { cookie, origin: "https://evil.example" }), own)).toMatch(/evil/);
    expect(crossSiteRefusal(req("POST", { cookie, "sec-fetch-site": "cross-site" }), own)).toMatch(/cross-site/);
    expect(crossSiteRefusal(req("POST", { cookie, "sec-fetch-site": "same-site" }), own)).toMatch(/same-site/);
  });

  it("lets the app's own pages, bearer clients and reads through", () => {
    expect(crossSiteRefusal(req("POST", { cookie, origin: own[0]!, "sec-fetch-site": "same-origin" }), own)).toBeNull();
    expect(
      crossSiteRefusal(req("POST", { cookie, authorization: "Bearer t", origin: "https://evil.example" }), own),
    ).toBeNull();
    expect(crossSiteRefusal(req("POST", { origin: "https://evil.example" }), own)).toBeNull();
    expect(crossSiteRefusal(req("GET", { cookie, "sec-fetch-site": "cross-site" }), own)).toBeNull();
  });
});

describe("allowedMethods", () => {
  it("names what each part answers", () => {
    expect(allowedMethods("/api/trpc/user.update")).not.toContain("TRACE");
    expect(allowedMethods("/api/inngest")).toContain("PUT");
    expect(allowedMethods("/profile")).toEqual(["GET", "HEAD"]);
  });
});
