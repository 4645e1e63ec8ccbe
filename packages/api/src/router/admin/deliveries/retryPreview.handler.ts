import type { z } from "zod";
import type { AdminContext } from "../types";
import { newestFirst } from "./filters";
import { pendingRetries } from "./retry-requests";
import { retryScope } from "./retryMatching.handler";
import type { retryMatchingInput } from "./retryMatching.schema";

/** Counting stops here: beyond it the dialog says "more than". */
export const PREVIEW_COUNT_CAP = 10_000;

/**
 * What "retry all matching" would do, for the confirmation dialog: how many deliveries match,
 * how many one click queues, and how many of that batch already have a retry waiting.
 */
export async function previewRetryMatching({
  ctx,
  input,
}: {
  ctx: AdminContext;
  input: z.output<typeof retryMatchingInput>;
}) {
  const { limit, statuses, where } = await retryScope(ctx.db, input);
  const [matching, batch] = await Promise.all([
    ctx.db.delivery.count({ where, take: PREVIEW_COUNT_CAP + 1 }),
    ctx.db.delivery.findMany({
      where,
      orderBy: newestFirst,
      take: limit,
      select: { id: true },
    }),
  ]);
  const waiting = await pendingRetries(
    ctx.db,
    batch.map((d) => d.id),
  );
  return {
    statuses,
    /** Capped at PREVIEW_COUNT_CAP; `matchingCapped` says when there are more. */
    matching: Math.min(matching, PREVIEW_COUNT_CAP),
    matchingCapped: matching > PREVIEW_COUNT_CAP,
    /** One click queues at most this many (the newest first), minus those already waiting. */
    batch: batch.length,
    alreadyRequested: waiting.size,
    limit,
  };
}
