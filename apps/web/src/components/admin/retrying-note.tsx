"use client";

import { describeRetrying, type RetryingState } from "~/lib/delivery-state";
import { useNow } from "./use-now";

/** "Retrying — attempt 2 of 6, next in 30 s", counting down. */
export function RetryingNote({
  retrying,
  scheduledAt = null,
  className = "retrying-note",
  label = true,
}: {
  retrying: RetryingState;
  scheduledAt?: Date | null;
  className?: string;
  /** false beside a "Retrying" badge. */
  label?: boolean;
}) {
  const now = useNow(Boolean(retrying.nextAttemptAt ?? scheduledAt));
  return <span className={className}>{describeRetrying(retrying, now, scheduledAt, { label })}</span>;
}
