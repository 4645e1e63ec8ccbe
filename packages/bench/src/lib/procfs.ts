// CPU time and resident memory of process trees, read from Linux /proc.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** User + system CPU time in clock ticks. */
  cpuTicks: number;
}

/** Parses /proc/<pid>/stat; the command name may itself contain spaces and parentheses. */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  const pid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  // Fields after the name start at field 3 (state); ppid is field 4, utime 14, stime 15.
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  return { pid, comm, ppid: Number(rest[1]), cpuTicks: Number(rest[11]) + Number(rest[12]) };
}

/** VmRSS of /proc/<pid>/status in bytes, 0 when absent (kernel threads, exited processes). */
export function parseRssBytes(statusText: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(statusText);
  return match ? Number(match[1]) * 1024 : 0;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

export function readStat(pid: number): ProcStat | null {
  const text = readText(`/proc/${pid}/stat`);
  return text ? parseProcStat(text) : null;
}

/** The command line of `pid` (arguments joined by spaces), or "" once it is gone. */
export function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

export function readRss(pid: number): number {
  const text = readText(`/proc/${pid}/status`);
  return text ? parseRssBytes(text) : 0;
}

export function allStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** `root` and every process below it. */
export function descendants(root: number, stats: ProcStat[] = allStats()): number[] {
  const children = new Map<number, number[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

let ticksPerSecond: number | null = null;
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU milliseconds used so far by the given processes (those still alive). */
export function cpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) ticks += readStat(pid)?.cpuTicks ?? 0;
  return (ticks * 1000) / clockTicksPerSecond();
}

export function rssBytes(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + readRss(pid), 0);
}

/** A named set of processes whose CPU and memory a benchmark reports. */
export interface ProcessGroup {
  name: string;
  pids(): number[];
}

export interface GroupUsage {
  name: string;
  cpuMs: number;
  rssMeanBytes: number;
  rssMaxBytes: number;
}

/**
 * Samples RSS of each group every `intervalMs` and takes CPU time at start and stop. Processes
 * are looked up again at each sample, so children started later are counted.
 */
export class UsageSampler {
  private readonly startCpu = new Map<string, Map<number, number>>();
  private readonly rss = new Map<string, number[]>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly groups: readonly ProcessGroup[],
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    for (const group of this.groups) {
      this.startCpu.set(group.name, new Map(group.pids().map((pid) => [pid, cpuMs([pid])])));
      this.rss.set(group.name, []);
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  private sample(): void {
    for (const group of this.groups) this.rss.get(group.name)!.push(rssBytes(group.pids()));
  }

  stop(): GroupUsage[] {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return this.groups.map((group) => {
      const before = this.startCpu.get(group.name)!;
      // A process that appeared during the phase counts from zero.
      const used = group.pids().reduce((sum, pid) => sum + cpuMs([pid]) - (before.get(pid) ?? 0), 0);
      const samples = this.rss.get(group.name)!;
      return {
        name: group.name,
        cpuMs: used,
        rssMeanBytes: samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length),
        rssMaxBytes: Math.max(0, ...samples),
      };
    });
  }
}
