import { describe, expect, it } from "vitest";
import { safeNextPath } from "./redirects";

describe("safeNextPath", () => {
  it.each(["/admin", "/admin?status=failed#top", "/profile", "/%09/evil.com"])("follows %s", (path) => {
    expect(safeNextPath(path)).toBe(path);
  });
  it.each([
    "https://evil.com",
    "//evil.com",
    "/\\evil.com",
    "/\t/evil.com",
    // Dot segments that normalize to a protocol-relative "//host".
    "/..//evil.com",
    "/a/%2e%2e//evil.com",
    "/\n/evil.com",
    "evil.com",
    "",
    null,
    undefined,
  ])("refuses %j", (path) => {
    expect(safeNextPath(path)).toBe("/profile");
  });
});
