import { describe, expect, it } from "vitest";
import { cpuMs, descendants, parseProcStat, parseRssBytes, readStat } from "./procfs";

describe("parseProcStat", () => {
  it("reads ppid and CPU ticks even when the command name has spaces and parentheses", () => {
    const line = "4242 (node (next) x) S 17 4242 17 0 -1 4194304 100 0 0 0 250 31 0 0 20 0 11 0 300 1000 100";
    expect(parseProcStat(line)).toEqual({ pid: 4242, comm: "node (next) x", ppid: 17, cpuTicks: 281 });
  });
});

describe("parseRssBytes", () => {
  it("reads VmRSS in bytes", () => {
    expect(parseRssBytes("Name:\tnode\nVmRSS:\t  123456 kB\nThreads:\t11\n")).toBe(123456 * 1024);
    expect(parseRssBytes("Name:\tkthreadd\n")).toBe(0);
  });
});

describe("this process", () => {
  it("is found in its own tree and has used CPU", () => {
    expect(readStat(process.pid)?.ppid).toBe(process.ppid);
    expect(descendants(process.ppid)).toContain(process.pid);
    expect(cpuMs([process.pid])).toBeGreaterThan(0);
  });
});
