"use client";

import type { InfiniteData } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { RouterInputs, RouterOutputs } from "@acme/api";
import { errorMessage } from "~/lib/trpc-errors";
import { api } from "~/trpc/react";

const POLL_MS = 2_000;
const FRESH_HIGHLIGHT_MS = 4_000;
const MAX_WATCHED = 200;

type ListInput = RouterInputs["admin"]["deliveries"]["list"];
type ListPage = RouterOutputs["admin"]["deliveries"]["list"];
type Updates = RouterOutputs["admin"]["deliveries"]["updates"];
type FilterInput = Omit<ListInput, "limit" | "cursor" | "direction">;

/** Puts a poll's new rows on top of the first page and swaps in rows that changed. */
export function mergeUpdates<TCursor>(
  data: InfiniteData<ListPage, TCursor>,
  updates: Updates,
): InfiniteData<ListPage, TCursor> {
  const changed = new Map(updates.updated.map((row) => [row.id, row]));
  const shown = new Set(data.pages.flatMap((page) => page.items.map((row) => row.id)));
  const fresh = updates.fresh.filter((row) => !shown.has(row.id));
  if (fresh.length === 0 && changed.size === 0) return data;
  return {
    ...data,
    pages: data.pages.map((page, index) => ({
      ...page,
      items: [...(index === 0 ? fresh : []), ...page.items.map((row) => changed.get(row.id) ?? row)],
    })),
  };
}

/**
 * The live view: polls for new rows and for watched rows that changed, merges them into the
 * loaded pages, and refreshes the summary whenever the list changed, so both say the same.
 */
export function useLiveDeliveries(
  listInput: ListInput,
  filterInput: FilterInput,
  list: { isSuccess: boolean; isFetching: boolean },
  onFresh: (count: number) => void,
) {
  const utils = api.useUtils();
  const [live, setLive] = useState(true);
  const [lastPoll, setLastPoll] = useState<Date | null>(null);
  const [pollError, setPollError] = useState<string | null>(null);
  const [freshIds, setFreshIds] = useState<ReadonlySet<string>>(new Set());
  const fetchingRef = useRef(false);
  const onFreshRef = useRef(onFresh);
  useEffect(() => {
    fetchingRef.current = list.isFetching;
    onFreshRef.current = onFresh;
  });

  useEffect(() => {
    if (!live || !list.isSuccess) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let updatedSince: Date | null = null;
    const schedule = () => {
      if (!stopped) timer = setTimeout(() => void tick(), POLL_MS);
    };
    const tick = async () => {
      const data = utils.admin.deliveries.list.getInfiniteData(listInput);
      // Skip while hidden or while a page loads (its result would overwrite a merge).
      if (document.hidden || fetchingRef.current || !data) return schedule();
      const shown = data.pages.flatMap((page) => page.items);
      const newest = shown[0];
      try {
        const updates = await utils.client.admin.deliveries.updates.query({
          ...filterInput,
          newerThan: newest ? { createdAt: newest.createdAt, id: newest.id } : null,
          watch: shown
            .filter((row) => row.status === "queued" || row.retryable)
            .slice(0, MAX_WATCHED)
            .map((row) => row.id),
          updatedSince,
        });
        if (stopped) return;
        updatedSince = updates.pollAt;
        if (updates.freshOverflow) {
          await utils.admin.deliveries.list.invalidate(listInput);
        } else {
          utils.admin.deliveries.list.setInfiniteData(listInput, (old) => (old ? mergeUpdates(old, updates) : old));
          if (updates.fresh.length) {
            const ids = updates.fresh.map((row) => row.id);
            setFreshIds((prev) => new Set([...prev, ...ids]));
            setTimeout(
              () => setFreshIds((prev) => new Set([...prev].filter((id) => !ids.includes(id)))),
              FRESH_HIGHLIGHT_MS,
            );
            onFreshRef.current(ids.length);
          }
        }
        // The poll looks back a little, so it may repeat rows: only a real change refreshes the summary.
        const before = new Map(shown.map((row) => [row.id, row.updatedAt.getTime()]));
        const changed = updates.updated.some((row) => before.get(row.id) !== row.updatedAt.getTime());
        if (updates.freshOverflow || updates.fresh.length || changed) void utils.admin.summary.invalidate();
        setLastPoll(new Date());
        setPollError(null);
      } catch (error) {
        if (!stopped) setPollError(errorMessage(error));
      }
      schedule();
    };
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [live, list.isSuccess, listInput, filterInput, utils]);

  return { live, setLive, lastPoll, pollError, freshIds };
}
