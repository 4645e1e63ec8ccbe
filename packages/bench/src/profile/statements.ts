// Statement counts from pg_stat_statements, split by who sent them.
import { withClient } from "../lib/database";
import { formatTable } from "../lib/stats";

export const BASELINE_ROLE = "bench_baseline";

export interface StatementRow {
  role: string;
  query: string;
  calls: number;
  totalMs: number;
  /** WAL records written: the statement changed data. */
  walRecords: number;
}

export type Sender = "app" | "executor" | "baseline";

/** Who sent a statement: the baseline connects as its own role; the executor's tables live in their own schema. */
export function senderOf(row: Pick<StatementRow, "role" | "query">): Sender {
  if (row.role === BASELINE_ROLE) return "baseline";
  return /inngest_executor/.test(row.query) ? "executor" : "app";
}

export async function prepareStatements(serverUrl: string): Promise<void> {
  await withClient(serverUrl, async (c) => {
    await c.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    await c.query(
      `DO $$ BEGIN CREATE ROLE ${BASELINE_ROLE} LOGIN SUPERUSER; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
    );
  });
}

export async function resetStatements(serverUrl: string): Promise<void> {
  await withClient(serverUrl, (c) => c.query("SELECT pg_stat_statements_reset()"));
}

export async function readStatements(serverUrl: string, database: string): Promise<StatementRow[]> {
  return withClient(serverUrl, async (c) => {
    const { rows } = await c.query<{ role: string; query: string; calls: string; total_ms: number; wal: string }>(
      `SELECT r.rolname AS role, s.query, s.calls, s.total_exec_time AS total_ms, s.wal_records AS wal
       FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid JOIN pg_database d ON d.oid = s.dbid
       WHERE d.datname = $1`,
      [database],
    );
    return rows.map((r) => ({
      role: r.role,
      query: r.query,
      calls: Number(r.calls),
      totalMs: r.total_ms,
      walRecords: Number(r.wal),
    }));
  });
}

/** One row per (role, statement), adding up readings taken over several phases. */
export function mergeStatements(rows: readonly StatementRow[]): StatementRow[] {
  const merged = new Map<string, StatementRow>();
  for (const row of rows) {
    const key = `${row.role}\u0000${row.query}`;
    const entry = merged.get(key);
    if (entry) {
      entry.calls += row.calls;
      entry.totalMs += row.totalMs;
      entry.walRecords += row.walRecords;
    } else merged.set(key, { ...row });
  }
  return [...merged.values()];
}

export interface StatementSummary {
  perUnit: number;
  /** COMMIT statements: explicit transactions (an autocommit write is its own commit too). */
  commitsPerUnit: number;
  /** Statements that wrote WAL. */
  writesPerUnit: number;
  /** Per sender, transaction control (BEGIN/COMMIT/ROLLBACK) left out: it names no table to tell the sender by. */
  bySender: Partial<Record<Sender, number>>;
  top: { sender: string; query: string; perUnit: number; meanMs: number }[];
}

const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback)\b/i;

export function summarizeStatements(
  rows: readonly StatementRow[],
  senders: readonly Sender[],
  units: number,
): StatementSummary {
  const per = (n: number) => n / Math.max(units, 1);
  const mine = mergeStatements(rows).filter((r) => senders.includes(senderOf(r)));
  const calls = (list: StatementRow[]) => list.reduce((sum, r) => sum + r.calls, 0);
  const bySender: Partial<Record<Sender, number>> = {};
  for (const sender of senders) {
    bySender[sender] = per(calls(mine.filter((r) => senderOf(r) === sender && !TRANSACTION_CONTROL.test(r.query))));
  }
  return {
    perUnit: per(calls(mine)),
    commitsPerUnit: per(calls(mine.filter((r) => /^\s*commit\b/i.test(r.query)))),
    writesPerUnit: per(calls(mine.filter((r) => r.walRecords > 0))),
    bySender,
    top: [...mine]
      .sort((a, b) => b.calls - a.calls)
      .slice(0, 15)
      .map((r) => ({
        sender: TRANSACTION_CONTROL.test(r.query) ? senders.join("/") : senderOf(r),
        query: r.query.replace(/\s+/g, " ").slice(0, 100),
        perUnit: per(r.calls),
        meanMs: r.totalMs / Math.max(r.calls, 1),
      })),
  };
}

export function formatStatements(title: string, summary: StatementSummary, unit: string): string {
  const senders = Object.entries(summary.bySender)
    .map(([sender, n]) => `${sender} ${n.toFixed(1)}`)
    .join(", ");
  return [
    `${title}: ${summary.perUnit.toFixed(1)} statements per ${unit} (${senders}, besides BEGIN/COMMIT); ` +
      `${summary.commitsPerUnit.toFixed(1)} COMMIT, ${summary.writesPerUnit.toFixed(1)} writing`,
    formatTable(
      ["per " + unit, "mean ms", "sent by", "statement"],
      summary.top.map((t) => [t.perUnit.toFixed(2), t.meanMs.toFixed(3), t.sender, t.query]),
    ),
  ].join("\n");
}
