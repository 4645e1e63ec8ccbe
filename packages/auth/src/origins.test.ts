import { describe, expect, it } from "vitest";
import { loopbackAliases } from "./index";

describe("loopbackAliases", () => {
  it("trusts every loopback spelling of a loopback app origin", () => {
    expect(loopbackAliases("http://localhost:3000")).toEqual(["http://127.0.0.1:3000", "http://[::1]:3000"]);
    expect(loopbackAliases("http://127.0.0.1:3210")).toEqual(["http://localhost:3210", "http://[::1]:3210"]);
  });
  it("adds nothing for a public origin", () => {
    expect(loopbackAliases("https://app.example.com")).toEqual([]);
  });
});
