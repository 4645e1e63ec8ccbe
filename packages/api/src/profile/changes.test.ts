import { describe, expect, it } from "vitest";
import { diffProfile } from "./changes";

const current = { username: "alice", phoneNumber: "+14155550100" };

describe("diffProfile", () => {
  it("detects a username change", () => {
    expect(diffProfile(current, { username: "alice2" })).toEqual({
      changedFields: ["username"],
      changes: { username: { from: "alice", to: "alice2" } },
    });
  });
  it("detects a phone change, including clearing it", () => {
    expect(diffProfile(current, { phoneNumber: null }).changes).toEqual({
      phoneNumber: { from: "+14155550100", to: null },
    });
  });
  it("detects both", () => {
    expect(diffProfile(current, { username: "bob", phoneNumber: "+14155550111" }).changedFields).toEqual([
      "username",
      "phoneNumber",
    ]);
  });
  it("treats a case-only rename as a change", () => {
    expect(diffProfile(current, { username: "Alice" }).changedFields).toEqual(["username"]);
  });
  it("reports nothing when the values are the same", () => {
    expect(diffProfile(current, { username: "alice", phoneNumber: "+14155550100" })).toEqual({
      changedFields: [],
      changes: {},
    });
  });
});
