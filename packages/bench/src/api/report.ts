import { cpus } from "node:os";
import type { LoadResult } from "../lib/load";
import type { Window } from "../lib/cpuprofile";
import type { GroupUsage } from "../lib/procfs";
import { formatTable, median, mib, spread } from "../lib/stats";

export interface ApiPhase {
  system: "app" | "baseline";
  connections: number;
  round: number;
  result: LoadResult;
  usage: GroupUsage[];
  /** ProfileChange rows the phase wrote (each successful request must write one). */
  changes: number;
  window: Window;
  /** 1-minute load average of the machine at the end of the phase (other work on the 2 cores). */
  loadAvg: number;
  /** How long the app's notification backlog took to drain after the phase. */
  drainSec?: number;
}

export interface ApiReportInput {
  phases: ApiPhase[];
  idle: GroupUsage[];
  afterLoad: GroupUsage[];
  pipeline: boolean;
  /** Events the sink accepted (with --pipeline sink). */
  eventsToSink: number | null;
  poolSize: number;
  users: number;
  durationSec: number;
  warmupSec: number;
  mailboxRateLimit: { requested: number; reported: string | null };
}

const GROUP_LABELS: Record<string, string> = {
  "app (Next.js)": "app",
  worker: "worker",
  executor: "executor",
  baseline: "baseline",
  mailbox: "mailbox",
  "postgres (this database)": "postgres",
};

export function printApiReport(input: ApiReportInput): void {
  const { phases } = input;
  const levels = [...new Set(phases.map((p) => p.connections))];
  const pick = (system: string, c: number) => phases.filter((p) => p.system === system && p.connections === c);

  console.log(`\n## user.update: app vs bare node:http + pg (same database work, same database)\n`);
  console.log(
    `${input.users} users with a bearer session each; every request sets a new username. ` +
      `${input.warmupSec} s warm-up + ${input.durationSec} s measured per phase, systems alternating; ` +
      `pools ${input.poolSize} connections each; ${
        input.pipeline
          ? "app with its notification pipeline (embedded executor; backlog drained between phases)"
          : `app's relay publishing to an event sink, no executor (${input.eventsToSink} events accepted)`
      }. ` +
      `Spreads are min–max over rounds. Machine load average (1 min) during the phases: ${spread(
        phases.map((p) => p.loadAvg),
        1,
      )} on ${cpus().length} cores.\n`,
  );
  const rows = levels.map((c) => {
    const app = pick("app", c);
    const base = pick("baseline", c);
    const ratios = app.map((a, i) => a.result.rps / (base[i]?.result.rps ?? Number.NaN));
    return [
      String(c),
      spread(app.map((p) => p.result.rps)),
      `${spread(
        app.map((p) => p.result.latency.p50),
        1,
      )} / ${spread(
        app.map((p) => p.result.latency.p99),
        1,
      )}`,
      String(app.reduce((s, p) => s + p.result.errors, 0)),
      spread(base.map((p) => p.result.rps)),
      `${spread(
        base.map((p) => p.result.latency.p50),
        1,
      )} / ${spread(
        base.map((p) => p.result.latency.p99),
        1,
      )}`,
      String(base.reduce((s, p) => s + p.result.errors, 0)),
      `${(100 * median(ratios)).toFixed(1)} % (${spread(
        ratios.map((r) => 100 * r),
        1,
      )})`,
    ];
  });
  console.log(
    formatTable(
      [
        "conns",
        "app req/s",
        "app p50 / p99 ms",
        "app errors",
        "baseline req/s",
        "baseline p50 / p99 ms",
        "baseline errors",
        "ratio",
      ],
      rows,
    ),
  );

  // Requests cut off at the end of the warm-up or of the phase may still commit: at most one per connection each.
  const mismatched = phases.filter((p) => {
    const extra = p.changes - (p.result.statuses["200"] ?? 0);
    return extra < 0 || extra > 2 * p.connections;
  });
  console.log(
    mismatched.length === 0
      ? "\nEvery 200 answer wrote its ProfileChange row (checked per phase; requests cut off at a phase's end may add one per connection)."
      : `\nWARNING: ${mismatched.length} phases where 200 answers and ProfileChange rows differ: ${mismatched
          .map((p) => `${p.system} c=${p.connections}: ${p.result.statuses["200"] ?? 0} vs ${p.changes}`)
          .join("; ")}`,
  );

  console.log(`\n### CPU per request (ms of CPU time / successful request; median over rounds)\n`);
  const groups = Object.keys(GROUP_LABELS);
  console.log(
    formatTable(
      ["conns", "system", ...groups.map((g) => GROUP_LABELS[g]!)],
      levels.flatMap((c) =>
        (["app", "baseline"] as const).map((system) => [
          String(c),
          system,
          ...groups.map((g) =>
            median(
              pick(system, c).map(
                (p) => (p.usage.find((u) => u.name === g)?.cpuMs ?? 0) / Math.max(1, p.result.statuses["200"] ?? 0),
              ),
            ).toFixed(2),
          ),
        ]),
      ),
    ),
  );
  const drains = phases.filter((p) => p.drainSec !== undefined);
  if (drains.length > 0) {
    console.log(
      `\nApp notification backlog drain after each phase: ${drains
        .map((p) => `c=${p.connections}: ${p.drainSec!.toFixed(0)} s`)
        .join(
          ", ",
        )} (email ${input.mailboxRateLimit.reported ? `rate limit ${input.mailboxRateLimit.reported}/s` : "mailbox without a rate limit"}).`,
    );
  }

  console.log(`\n### Memory (RSS, MiB)\n`);
  const top = Math.max(...levels);
  const underLoad = (system: string, group: string) =>
    Math.max(...pick(system, top).map((p) => p.usage.find((u) => u.name === group)?.rssMaxBytes ?? 0));
  const idleOf = (list: GroupUsage[], group: string) => list.find((u) => u.name === group)?.rssMaxBytes ?? 0;
  const memRows = ["app (Next.js)", "worker", "executor", "baseline", "mailbox"].map((g) => [
    g,
    mib(idleOf(input.idle, g)),
    mib(underLoad(g === "baseline" ? "baseline" : "app", g)),
    mib(idleOf(input.afterLoad, g)),
  ]);
  const appPlusExecutor = (list: (g: string) => number) =>
    mib(list("app (Next.js)") + list("worker") + list("executor"));
  memRows.push([
    "app + worker + executor",
    appPlusExecutor((g) => idleOf(input.idle, g)),
    appPlusExecutor((g) => underLoad("app", g)),
    appPlusExecutor((g) => idleOf(input.afterLoad, g)),
  ]);
  console.log(
    formatTable(["process", "idle after start", `max under ${top} connections`, "idle after the run"], memRows),
  );
  console.log(
    `\nThe executor runs inside the devstack process (with the launcher), the Inngest functions in the worker process (0 when the app serves them itself); the mailbox is its own process here.`,
  );
}
