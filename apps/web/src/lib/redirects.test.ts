import { describe, expect, it } from "vitest";
import { safeNextPath } from "./redirects";

describe("safeNextPath", () => {
  it.each(["/admin", "/admin?status=failed#top", "/profile"])("follows %s", (path) => {
    expect(safeNextPath(path)).toBe(path);
  });
  it.each([
    "https://evil.com",
    "//evil.com",
    "/\\evil.com",
    "/\t/evil.com",
    "/%09/evil.com".replace("%09", "\t"),
    "/\n/evil.com",
    "evil.com",
    "",
    null,
    undefined,
  ])("refuses %j", (path) => {
    expect(safeNextPath(path)).toBe("/profile");
  });
});
