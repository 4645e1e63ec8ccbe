import { describe, expect, it } from "vitest";
import { FrameResolver, packageOf, selfTimes, summarizeProfile, type CpuProfile } from "./cpuprofile";

const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0, columnNumber: 0 });

// Samples at t = 1000, 1100, 1300, 1600 µs; each lasts until the next one.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame("(root)") },
    {
      id: 2,
      callFrame: frame(
        "getSession",
        "file:///repo/node_modules/.pnpm/better-auth@1.7.25/node_modules/better-auth/dist/a.mjs",
      ),
    },
    { id: 3, callFrame: frame("(idle)") },
    { id: 4, callFrame: frame("query", "file:///repo/node_modules/.pnpm/pg@8.23.1/node_modules/pg/lib/client.js") },
  ],
  startTime: 900,
  endTime: 1700,
  samples: [2, 4, 2, 3],
  timeDeltas: [100, 100, 200, 300],
};

describe("selfTimes", () => {
  it("gives each sample the time until the next one, inside the windows only", () => {
    const all = new Map(selfTimes(profile).map((t) => [t.frame.functionName, t.us]));
    expect(all.get("getSession")).toBe(100 + 300);
    expect(all.get("query")).toBe(200);
    const windowed = new Map(selfTimes(profile, [[1050, 1350]]).map((t) => [t.frame.functionName, t.us]));
    expect(windowed.get("getSession")).toBe(300);
    expect(windowed.get("query")).toBe(200);
  });
});

describe("summarizeProfile", () => {
  it("adds up self time per package and function, idle apart", () => {
    const summary = summarizeProfile(profile, new FrameResolver("/repo"));
    expect(summary.busyMs).toBeCloseTo(0.6);
    expect(summary.idleMs).toBe(0);
    expect(summary.byPackage.map((p) => p.pkg)).toEqual(["better-auth", "pg"]);
    expect(summary.byFunction[0]).toMatchObject({ name: "getSession", pkg: "better-auth" });
  });
});

describe("packageOf", () => {
  it("names the package of a source path", () => {
    expect(packageOf("node_modules/.pnpm/@trpc+server@11.19.0/node_modules/@trpc/server/src/x.ts")).toBe(
      "@trpc/server",
    );
    // A mapped path that lost the package folder still has pnpm's store name.
    expect(packageOf("/r/node_modules/.pnpm/inngest@4.24.0_x/node_modules/src/helpers/env.ts")).toBe("inngest");
    expect(packageOf("/r/node_modules/zod/v4/core.js")).toBe("zod");
    expect(packageOf("/r/packages/api/src/trpc.ts")).toBe("@acme/api");
    expect(packageOf("node:internal/streams")).toBe("node");
  });
});
