// Counts, per committed change, what reached the providers and what the database says, and decides
// the verdict. Pure: the program gathers the inputs, the tests feed their own.

export interface ChaosObservations {
  /** Committed profile changes (ProfileChange rows of kind profile_updated) of the chaos users. */
  changes: { id: string; userId: string }[];
  /**
   * The users' other account events (a device added…) that got no delivery at all. Their pushes are
   * not counted per device (a device added later legitimately misses an earlier notice), but each must
   * be planned.
   */
  unplannedNotices?: number;
  /** Each user's push devices (the local push service's subscription ids). */
  devicesByUser: Map<string, string[]>;
  /** Emails the mailbox accepted, with the idempotency key the app sent. */
  emails: { id: string; idempotencyKey: string | null }[];
  /** Pushes the push service accepted, with the change id from the decrypted payload. */
  pushes: { subscriptionId: string; changeId: string | null }[];
  /** The delivery rows of the chaos users. */
  deliveries: { profileChangeId: string; channel: "email" | "push"; status: string }[];
  /** Updates the API acknowledged, per user. */
  acknowledged: Map<string, number>;
}

export interface ChaosReport {
  committed: number;
  acknowledged: number;
  /** Acknowledged updates with no committed change behind them. */
  acknowledgedButLost: number;
  emails: { expected: number; delivered: number; lost: number; duplicates: number };
  pushes: { expected: number; delivered: number; lost: number; duplicateReceipts: number };
  deliveries: Record<string, number>;
  /** Deliveries still queued, or changes with no deliveries planned, after quiescence. */
  stuck: number;
  /**
   * Deliveries given up as failed. Every fault the run injects is transient (5xx, 429, a reset) and
   * the retry horizon outlasts the run, so each one is a wrong verdict, e.g. a resend with another body.
   */
  failed: number;
  passed: boolean;
}

const FINAL = new Set(["sent", "failed", "expired", "skipped"]);

export function reconcile(observed: ChaosObservations): ChaosReport {
  const emailsByChange = new Map<string, Set<string>>();
  for (const email of observed.emails) {
    const changeId = /^profile-change\/([^/]+)\/email\//.exec(email.idempotencyKey ?? "")?.[1];
    if (!changeId) continue;
    const ids = emailsByChange.get(changeId) ?? new Set<string>();
    ids.add(email.id);
    emailsByChange.set(changeId, ids);
  }
  const receipts = new Map<string, number>();
  for (const push of observed.pushes) {
    if (!push.changeId) continue;
    const key = `${push.changeId}|${push.subscriptionId}`;
    receipts.set(key, (receipts.get(key) ?? 0) + 1);
  }

  let emailsLost = 0;
  let emailDuplicates = 0;
  let pushesExpected = 0;
  let pushesDelivered = 0;
  let duplicateReceipts = 0;
  for (const change of observed.changes) {
    const emails = emailsByChange.get(change.id)?.size ?? 0;
    if (emails === 0) emailsLost += 1;
    emailDuplicates += Math.max(0, emails - 1);
    for (const device of observed.devicesByUser.get(change.userId) ?? []) {
      pushesExpected += 1;
      const count = receipts.get(`${change.id}|${device}`) ?? 0;
      if (count > 0) pushesDelivered += 1;
      duplicateReceipts += Math.max(0, count - 1);
    }
  }

  const deliveries: Record<string, number> = {};
  const planned = new Set<string>();
  let stuck = 0;
  for (const delivery of observed.deliveries) {
    deliveries[delivery.status] = (deliveries[delivery.status] ?? 0) + 1;
    planned.add(delivery.profileChangeId);
    if (!FINAL.has(delivery.status)) stuck += 1;
  }
  stuck += observed.changes.filter((change) => !planned.has(change.id)).length + (observed.unplannedNotices ?? 0);

  const committedByUser = new Map<string, number>();
  for (const change of observed.changes)
    committedByUser.set(change.userId, (committedByUser.get(change.userId) ?? 0) + 1);
  let acknowledged = 0;
  let acknowledgedButLost = 0;
  for (const [userId, count] of observed.acknowledged) {
    acknowledged += count;
    acknowledgedButLost += Math.max(0, count - (committedByUser.get(userId) ?? 0));
  }

  const failed = deliveries.failed ?? 0;
  const committed = observed.changes.length;
  const emailsDelivered = committed - emailsLost;
  const pushesLost = pushesExpected - pushesDelivered;
  return {
    committed,
    acknowledged,
    acknowledgedButLost,
    emails: { expected: committed, delivered: emailsDelivered, lost: emailsLost, duplicates: emailDuplicates },
    pushes: { expected: pushesExpected, delivered: pushesDelivered, lost: pushesLost, duplicateReceipts },
    deliveries,
    stuck,
    failed,
    passed:
      emailsLost === 0 &&
      pushesLost === 0 &&
      stuck === 0 &&
      failed === 0 &&
      emailDuplicates === 0 &&
      acknowledgedButLost === 0,
  };
}
