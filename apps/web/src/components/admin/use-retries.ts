"use client";

import { useState } from "react";
import type { RouterInputs } from "@acme/api";
import { errorMessage } from "~/lib/trpc-errors";
import { api } from "~/trpc/react";
import type { DeliveryRow } from "./deliveries-table";

type ListInput = RouterInputs["admin"]["deliveries"]["list"];
type RetryMatchingInput = RouterInputs["admin"]["deliveries"]["retryMatching"];

export interface Announcement {
  tone: "success" | "error" | "info";
  text: string;
  /** Feedback about one delivery goes away once that delivery's status moves on. */
  about?: { id: string; status: DeliveryRow["status"] };
}

/** The announcement, unless the delivery it is about has changed status since (derived, not stored). */
export function currentAnnouncement(announcement: Announcement | null, rows: DeliveryRow[]): Announcement | null {
  if (!announcement?.about) return announcement;
  const { id, status } = announcement.about;
  const row = rows.find((r) => r.id === id);
  return row && row.status !== status ? null : announcement;
}

/** Retry one row, or every failed delivery matching the filters (after the dialog's confirmation). */
export function useRetries(listInput: ListInput, announce: (announcement: Announcement) => void) {
  const utils = api.useUtils();
  const retry = api.admin.deliveries.retry.useMutation();
  const retryMatching = api.admin.deliveries.retryMatching.useMutation();
  const [retryingIds, setRetryingIds] = useState<ReadonlySet<string>>(new Set());

  async function retryOne(row: DeliveryRow) {
    if (retryingIds.has(row.id)) return;
    setRetryingIds((prev) => new Set(prev).add(row.id));
    try {
      const result = await retry.mutateAsync({ id: row.id });
      utils.admin.deliveries.list.setInfiniteData(
        listInput,
        (old) =>
          old && {
            ...old,
            pages: old.pages.map((page) => ({
              ...page,
              items: page.items.map((r) => (r.id === row.id ? { ...r, retryRequestedAt: result.requestedAt } : r)),
            })),
          },
      );
      announce({
        tone: "success",
        text: `Retry requested for the ${row.channel} delivery to ${row.target}.`,
        about: { id: row.id, status: row.status },
      });
    } catch (error) {
      announce({ tone: "error", text: `Could not retry: ${errorMessage(error)}` });
    } finally {
      setRetryingIds((prev) => {
        const next = new Set(prev);
        next.delete(row.id);
        return next;
      });
    }
  }

  async function retryAll(input: RetryMatchingInput, what: string) {
    if (retryMatching.isPending) return;
    try {
      const result = await retryMatching.mutateAsync(input);
      const parts = [
        result.queued === 0
          ? `No ${what} deliveries needed a retry.`
          : `Queued ${result.queued} ${result.queued === 1 ? "retry" : "retries"}.`,
      ];
      if (result.alreadyRequested) parts.push(`${result.alreadyRequested} already had a retry waiting.`);
      if (result.skipped) parts.push(`${result.skipped} changed while queuing and were left alone.`);
      if (result.hasMore) parts.push("More match — retry again to queue the next batch.");
      announce({ tone: result.queued ? "success" : "info", text: parts.join(" ") });
    } catch (error) {
      announce({ tone: "error", text: `Could not queue retries: ${errorMessage(error)}` });
    } finally {
      await Promise.all([
        utils.admin.deliveries.list.invalidate(listInput),
        utils.admin.summary.invalidate(),
        utils.admin.deliveries.retryPreview.invalidate(),
      ]);
    }
  }

  return { retryingIds, retryOne, retryAll, retryAllPending: retryMatching.isPending };
}
