// --profile: a private PostgreSQL with pg_stat_statements, CPU profiles of every Node process of
// the systems under test, and the summary of both at the end.
import { mkdirSync, writeFileSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FrameResolver, formatProfileSummary, summarizeProfile, type CpuProfile, type Window } from "../lib/cpuprofile";
import { repoRoot } from "../lib/processes";
import { startPrivatePostgres } from "./private-postgres";
import {
  BASELINE_ROLE,
  formatStatements,
  prepareStatements,
  readStatements,
  resetStatements,
  summarizeStatements,
  type StatementRow,
} from "./statements";

export type SystemName = "app" | "baseline";

export interface Profiling {
  serverUrl: string;
  /** Environment for a child process: its Node processes write CPU profiles on exit. */
  childEnv: NodeJS.ProcessEnv;
  /** The same database, as the baseline's own role (so its statements count apart). */
  baselineUrl(databaseUrl: string): string;
  resetStatements(): Promise<void>;
  /** Adds the statements since the last reset to `system`'s account, `units` being its updates or changes. */
  collectStatements(database: string, system: SystemName, units: number): Promise<void>;
  printSummary(options: {
    windows: Record<SystemName, Window[]>;
    units: Record<SystemName, number>;
    unit: string;
  }): void;
  stopServer(): Promise<void>;
}

const preload = path.join(path.dirname(fileURLToPath(import.meta.url)), "cpu-prof-preload.cjs");

export async function startProfiling(runDir: string, pgPort: number): Promise<Profiling> {
  const server = startPrivatePostgres(pgPort);
  await prepareStatements(server.url);
  const profileDir = path.join(runDir, "cpuprofiles");
  mkdirSync(profileDir, { recursive: true });
  const statements: Record<SystemName, { rows: StatementRow[]; units: number }> = {
    app: { rows: [], units: 0 },
    baseline: { rows: [], units: 0 },
  };

  // The directory is written into a per-run preload too: a process started with a reduced
  // environment (the devstack's worker) loses BENCH_CPU_PROF_DIR but keeps NODE_OPTIONS.
  const runPreload = path.join(runDir, "cpu-prof-preload.cjs");
  writeFileSync(
    runPreload,
    `process.env.BENCH_CPU_PROF_DIR ||= ${JSON.stringify(profileDir)};\nrequire(${JSON.stringify(preload)});\n`,
  );

  return {
    serverUrl: server.url,
    childEnv: { NODE_OPTIONS: `--require ${runPreload}`, BENCH_CPU_PROF_DIR: profileDir },
    baselineUrl(databaseUrl) {
      const url = new URL(databaseUrl);
      url.username = BASELINE_ROLE;
      return url.toString();
    },
    resetStatements: () => resetStatements(server.url),
    async collectStatements(database, system, units) {
      statements[system].rows.push(...(await readStatements(server.url, database)));
      statements[system].units += units;
    },
    printSummary({ windows, units, unit }) {
      console.log(`\n## CPU profiles (V8 sampling profiler, 1 ms; files in ${profileDir})\n`);
      const resolver = new FrameResolver(repoRoot);
      for (const file of readdirSync(profileDir).filter((f) => f.endsWith(".json"))) {
        const meta = JSON.parse(readFileSync(path.join(profileDir, file), "utf8")) as { pid: number; argv: string[] };
        const role = roleOf(meta.argv);
        if (!role) continue;
        const profile = JSON.parse(readFileSync(path.join(profileDir, `${meta.pid}.cpuprofile`), "utf8")) as CpuProfile;
        const system: SystemName = role.system;
        const summary = summarizeProfile(profile, resolver, windows[system]);
        console.log(formatProfileSummary(`${role.name} (pid ${meta.pid})`, summary, { count: units[system], unit }));
        console.log("");
      }
      console.log(`## Statements (pg_stat_statements on a private PostgreSQL ${pgPort})\n`);
      for (const system of ["app", "baseline"] as const) {
        const { rows, units: count } = statements[system];
        if (count === 0) continue;
        const senders = system === "app" ? (["app", "executor"] as const) : (["baseline"] as const);
        console.log(formatStatements(system, summarizeStatements(rows, senders, count), unit));
        console.log("");
      }
    },
    stopServer: () => server.stop(),
  };
}

function roleOf(argv: string[]): { name: string; system: SystemName } | null {
  const joined = argv.join(" ");
  if (/baseline\/cli\.ts/.test(joined)) return { name: "baseline", system: "baseline" };
  if (/devstack\/src\/start\.ts|src\/start\.ts/.test(joined))
    return { name: "executor (devstack process)", system: "app" };
  if (/apps\/worker\//.test(joined)) return { name: "worker (Inngest functions)", system: "app" };
  if (/apps\/web\/server\.ts|next/.test(joined)) return { name: "app (Next.js server)", system: "app" };
  return null;
}
