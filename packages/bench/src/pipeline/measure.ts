// What one pipeline phase achieved, from the database and the local services' receive times.
import { withClient } from "../lib/database";
import { summarizeLatencies, type LatencySummary } from "../lib/stats";
import type { Arrivals } from "./services";

export interface PhaseChange {
  id: string;
  committedAt: number;
}

/** The phase's changes: their usernames start with the phase's tag. */
export function phaseChanges(url: string, tag: string): Promise<PhaseChange[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ id: string; created_at: Date }>(
      `SELECT id, "createdAt" AS created_at FROM "ProfileChange" WHERE changes->'username'->>'to' LIKE $1`,
      [`${tag}%`],
    );
    return rows.map((r) => ({ id: r.id, committedAt: r.created_at.getTime() }));
  });
}

/** Deliveries recorded as sent for the phase's changes (both systems write Delivery rows). */
export function sentDeliveries(url: string, tag: string): Promise<number> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM "Delivery" d JOIN "ProfileChange" pc ON pc.id = d."profileChangeId"
       WHERE pc.changes->'username'->>'to' LIKE $1 AND d.status = 'sent'`,
      [`${tag}%`],
    );
    return Number(rows[0]!.n);
  });
}

export interface DeliveryFigures {
  changes: number;
  /** Changes whose email and push both arrived. */
  complete: number;
  deliveriesPerSec: number;
  /** Commit → both arrived. */
  latency: LatencySummary;
  firstCommit: number;
  lastArrival: number;
}

export function deliveryFigures(changes: readonly PhaseChange[], arrivals: Arrivals): DeliveryFigures {
  const latencies: number[] = [];
  let lastArrival = 0;
  let delivered = 0;
  for (const change of changes) {
    const email = arrivals.email.get(change.id);
    const push = arrivals.push.get(change.id);
    delivered += (email ? 1 : 0) + (push ? 1 : 0);
    for (const t of [email, push]) if (t) lastArrival = Math.max(lastArrival, t);
    if (email && push) latencies.push(Math.max(email, push) - change.committedAt);
  }
  const firstCommit = Math.min(...changes.map((c) => c.committedAt));
  return {
    changes: changes.length,
    complete: latencies.length,
    deliveriesPerSec: delivered / Math.max((lastArrival - firstCommit) / 1000, 1e-3),
    latency: summarizeLatencies(latencies),
    firstCommit,
    lastArrival,
  };
}

/** Milliseconds from commit to each stage the app records, per change (null where a stage left no trace). */
export interface StageTimes {
  dispatched: number | null;
  runCreated: number | null;
  runStarted: number | null;
  planned: number | null;
  emailSent: number | null;
  pushSent: number | null;
  runEnded: number | null;
}

export const STAGES: { key: keyof StageTimes; label: string }[] = [
  { key: "dispatched", label: "outbox row published (OutboxEvent.dispatchedAt)" },
  { key: "runCreated", label: "executor run created" },
  { key: "runStarted", label: "executor run started (first call to the app)" },
  { key: "planned", label: "deliveries planned (Delivery.createdAt)" },
  { key: "emailSent", label: "email sent (Delivery.sentAt)" },
  { key: "pushSent", label: "push sent (Delivery.sentAt)" },
  { key: "runEnded", label: "executor run finished" },
];

/** Per-stage times of the app's changes, from its tables and (best effort) the executor's. */
export async function appStageTimes(url: string, tag: string): Promise<StageTimes[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{
      id: string;
      committed: Date;
      dispatched: Date | null;
      planned: Date | null;
      email_sent: Date | null;
      push_sent: Date | null;
    }>(
      `SELECT pc.id, pc."createdAt" AS committed,
         (SELECT max(o."dispatchedAt") FROM "OutboxEvent" o WHERE o.payload->>'changeId' = pc.id) AS dispatched,
         (SELECT min(d."createdAt") FROM "Delivery" d WHERE d."profileChangeId" = pc.id) AS planned,
         (SELECT max(d."sentAt") FROM "Delivery" d WHERE d."profileChangeId" = pc.id AND d.channel = 'email') AS email_sent,
         (SELECT max(d."sentAt") FROM "Delivery" d WHERE d."profileChangeId" = pc.id AND d.channel = 'push') AS push_sent
       FROM "ProfileChange" pc WHERE pc.changes->'username'->>'to' LIKE $1`,
      [`${tag}%`],
    );
    const runs = new Map<string, { created: Date; started: Date | null; ended: Date | null }>();
    try {
      // The executor's own bookkeeping; its schema may change, so this part is optional.
      const result = await c.query<{
        change_id: string;
        created_at: Date;
        started_at: Date | null;
        ended_at: Date | null;
      }>(
        `SELECT event->'data'->>'changeId' AS change_id, created_at, started_at, ended_at
         FROM inngest_executor.runs WHERE event->'data'->>'changeId' = ANY($1)`,
        [rows.map((r) => r.id)],
      );
      for (const r of result.rows)
        runs.set(r.change_id, { created: r.created_at, started: r.started_at, ended: r.ended_at });
    } catch {
      // no executor tables readable: the executor stages stay empty
    }
    const since = (from: Date, to: Date | null | undefined) => (to ? to.getTime() - from.getTime() : null);
    return rows.map((r) => {
      const run = runs.get(r.id);
      return {
        dispatched: since(r.committed, r.dispatched),
        runCreated: since(r.committed, run?.created),
        runStarted: since(r.committed, run?.started),
        planned: since(r.committed, r.planned),
        emailSent: since(r.committed, r.email_sent),
        pushSent: since(r.committed, r.push_sent),
        runEnded: since(r.committed, run?.ended),
      };
    });
  });
}
