// What a benchmark does between measured phases: find the database's backends, wait for
// background work to finish, and keep time on the clock CPU profiles use.
import { execFileSync } from "node:child_process";
import { withClient } from "./database";
import { cpuMs, type ProcessGroup } from "./procfs";

/** Microseconds on the monotonic clock that V8's CPU profiles use. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The PostgreSQL backends serving one database (their CPU is the database's work for us). */
export class PgBackends implements ProcessGroup {
  readonly name = "postgres (this database)";
  private cached: number[] = [];

  constructor(
    private readonly serverUrl: string,
    private readonly database: string,
  ) {}

  pids(): number[] {
    return this.cached;
  }

  async refresh(): Promise<void> {
    this.cached = await withClient(this.serverUrl, async (c) => {
      const { rows } = await c.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1", [
        this.database,
      ]);
      return rows.map((r) => r.pid);
    });
  }
}

/** redis-server, by the pid it reports (it serves only this benchmark's queue while it runs). */
export function redisGroup(redisUrl: string): ProcessGroup {
  const url = new URL(redisUrl);
  let pid: number | null = null;
  try {
    const info = execFileSync("redis-cli", ["-h", url.hostname, "-p", url.port || "6379", "INFO", "server"], {
      encoding: "utf8",
    });
    pid = Number(/process_id:(\d+)/.exec(info)?.[1]) || null;
  } catch {
    pid = null;
  }
  return { name: "redis", pids: () => (pid ? [pid] : []) };
}

/** Polls `check` until it returns true; false when `timeoutMs` passed first. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 500): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(intervalMs);
  }
}

/** Waits until the groups together use less than `share` of one core over a second. */
export async function waitForQuiet(groups: readonly ProcessGroup[], timeoutMs = 30_000, share = 0.05): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pids = groups.flatMap((g) => g.pids());
    const before = cpuMs(pids);
    await sleep(1000);
    if (cpuMs(pids) - before < share * 1000) return;
  }
}
