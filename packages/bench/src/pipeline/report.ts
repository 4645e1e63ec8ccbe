import { cpus } from "node:os";
import type { Window } from "../lib/cpuprofile";
import type { LoadResult } from "../lib/load";
import type { GroupUsage } from "../lib/procfs";
import { formatTable, median, percentile, spread } from "../lib/stats";
import { STAGES, type DeliveryFigures, type StageTimes } from "./measure";

export interface PipelinePhase {
  system: "app" | "baseline";
  scenario: "burst" | "steady";
  round: number;
  load: LoadResult;
  usage: GroupUsage[];
  /** Every delivery recorded as sent before the timeout. */
  drained: boolean;
  figures: DeliveryFigures;
  stages: StageTimes[];
  window: Window;
  loadAvg: number;
}

const GROUPS: [string, string][] = [
  ["app (Next.js)", "app"],
  ["worker", "worker"],
  ["executor", "executor"],
  ["baseline", "baseline"],
  ["mailbox", "mailbox"],
  ["push service", "push"],
  ["postgres (this database)", "postgres"],
  ["redis", "redis"],
];

export function printPipelineReport(input: {
  phases: PipelinePhase[];
  users: number;
  workerConcurrency: number;
  mailboxRateLimit: { requested: number; reported: string | null };
}): void {
  const { phases } = input;
  const limit = input.mailboxRateLimit;
  console.log(`\n## Notification pipeline: app (outbox → embedded executor → Inngest SDK) vs BullMQ\n`);
  console.log(
    `${input.users} users with one push device each; each change sends one email (resend SDK → local mailbox) and one push ` +
      `(web-push → local push service over TLS). BullMQ worker concurrency ${input.workerConcurrency}. ` +
      `Mailbox rate limit: ${limit.requested} req/s requested (a high-volume plan; Resend's default is 2 req/s); ` +
      (limit.reported
        ? `the mailbox reports ratelimit-limit ${limit.reported}.`
        : `this mailbox enforces no limit (no ratelimit-limit header), so none applied.`) +
      ` Latency is commit (ProfileChange.createdAt) → both received (the services' receive times). ` +
      `Machine load average (1 min) during the phases: ${spread(
        phases.map((p) => p.loadAvg),
        1,
      )} on ${cpus().length} cores.\n`,
  );
  const scenarios = [...new Set(phases.map((p) => p.scenario))];
  const rows = scenarios.flatMap((scenario) =>
    (["app", "baseline"] as const).map((system) => {
      const list = phases.filter((p) => p.scenario === scenario && p.system === system);
      return [
        scenario,
        system === "app" ? "app" : "BullMQ",
        spread(list.map((p) => p.figures.changes)),
        spread(list.map((p) => p.load.rps)),
        spread(list.map((p) => p.figures.deliveriesPerSec)),
        spread(list.map((p) => p.figures.latency.p50)),
        spread(list.map((p) => p.figures.latency.p95)),
        spread(list.map((p) => p.figures.latency.p99)),
        String(list.reduce((s, p) => s + p.load.errors, 0)),
        list.every((p) => p.drained && p.figures.complete === p.figures.changes) ? "yes" : "NO",
      ];
    }),
  );
  console.log(
    formatTable(
      [
        "scenario",
        "system",
        "changes",
        "updates/s sent",
        "deliveries/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "request errors",
        "all delivered",
      ],
      rows,
    ),
  );
  for (const scenario of scenarios) {
    const rate = (system: string) =>
      median(
        phases.filter((p) => p.scenario === scenario && p.system === system).map((p) => p.figures.deliveriesPerSec),
      );
    console.log(
      `\n${scenario}: BullMQ drains ${(rate("baseline") / rate("app")).toFixed(1)}× as fast as the app (medians).`,
    );
  }

  console.log(`\n### CPU per notified change (ms; update request + email + push; median over rounds)\n`);
  console.log(
    formatTable(
      ["scenario", "system", ...GROUPS.map(([, label]) => label), "total"],
      scenarios.flatMap((scenario) =>
        (["app", "baseline"] as const).map((system) => {
          const list = phases.filter((p) => p.scenario === scenario && p.system === system);
          const per = (group: string) =>
            median(
              list.map((p) => (p.usage.find((u) => u.name === group)?.cpuMs ?? 0) / Math.max(1, p.figures.changes)),
            );
          const values = GROUPS.map(([group]) => per(group));
          return [
            scenario,
            system === "app" ? "app" : "BullMQ",
            ...values.map((v) => v.toFixed(1)),
            values.reduce((a, b) => a + b, 0).toFixed(1),
          ];
        }),
      ),
    ),
  );

  console.log(`\n### Where an app change spends its time (ms after commit, p50 / p95; all app phases)\n`);
  for (const scenario of scenarios) {
    const stages = phases.filter((p) => p.scenario === scenario && p.system === "app").flatMap((p) => p.stages);
    const rows = STAGES.map(({ key, label }) => {
      const values = stages
        .map((s) => s[key])
        .filter((v): v is number => v !== null)
        .sort((a, b) => a - b);
      return [label, values.length ? `${percentile(values, 0.5)} / ${percentile(values, 0.95)}` : "–"];
    });
    console.log(`${scenario}:`);
    console.log(formatTable(["stage", "p50 / p95 ms"], rows));
    console.log("");
  }
}
