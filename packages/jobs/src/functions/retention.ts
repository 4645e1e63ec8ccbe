import type { Database } from "@acme/db";
import { inngest } from "../client";
import type { JobDeps } from "../deps";

/** Longest window a limit counter is read with (a familiar sign-in address: 90 days), plus a margin. */
const COUNTER_RETENTION_DAYS = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps what a change was, forgets where it came from: after `days`, a ProfileChange loses its IP
 * address and user agent. Lapsed rate-limit counters go too.
 */
export async function applyRetention(db: Database, days: number, now = new Date()) {
  const before = new Date(now.getTime() - days * DAY_MS);
  const anonymized = await db.profileChange.updateMany({
    where: { createdAt: { lt: before }, OR: [{ ipAddress: { not: null } }, { userAgent: { not: null } }] },
    data: { ipAddress: null, userAgent: null },
  });
  const counters = await db.rateLimitCounter.deleteMany({
    where: { lastAt: { lt: new Date(now.getTime() - COUNTER_RETENTION_DAYS * DAY_MS) } },
  });
  return { anonymizedChanges: anonymized.count, deletedCounters: counters.count };
}

/** Daily at 03:17 UTC (PROFILE_CHANGE_RETENTION_DAYS, default 90). */
export function createRetention(getDeps: () => JobDeps) {
  return inngest.createFunction(
    { id: "apply-retention", name: "Anonymize old profile changes", triggers: [{ cron: "TZ=UTC 17 3 * * *" }] },
    async ({ step }) => {
      const deps = getDeps();
      return step.run("anonymize", () => applyRetention(deps.db, deps.config.security.retention.profileChangeDays));
    },
  );
}
