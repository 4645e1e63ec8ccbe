"use client";

import type { InfiniteData } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { RouterOutputs } from "@acme/api";
import {
  hasActiveFilters,
  readFilters,
  TIME_RANGES,
  toFilterInput,
  writeFilters,
  type DeliveryFilterState,
  type TimeRangeKey,
} from "~/lib/admin-filters";
import { formatDateTime } from "~/lib/format";
import { errorMessage } from "~/lib/trpc-errors";
import { api } from "~/trpc/react";
import { DeliveriesTable, type DeliveryRow } from "./deliveries-table";
import { DELIVERY_CHANNELS, DELIVERY_STATUSES, statusLabel } from "./status-badge";
import { DeliverySummary } from "./summary";

const PAGE_SIZE = 25;
const POLL_MS = 2_000;
const FRESH_HIGHLIGHT_MS = 4_000;
const SEARCH_DEBOUNCE_MS = 300;
const MAX_WATCHED = 200;

type ListPage = RouterOutputs["admin"]["deliveries"]["list"];
type Updates = RouterOutputs["admin"]["deliveries"]["updates"];

/** Puts a poll's new rows on top of the first page and swaps in rows that changed. */
function mergeUpdates<TCursor>(
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

export function DeliveriesView() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const utils = api.useUtils();

  const filters = useMemo(() => readFilters(new URLSearchParams(searchParams.toString())), [searchParams]);
  // "Last hour" counts back from when the filters were last set, so the query stays put while live.
  const [anchor, setAnchor] = useState(() => Date.now());
  const filterInput = useMemo(() => toFilterInput(filters, anchor), [filters, anchor]);
  const listInput = useMemo(() => ({ ...filterInput, limit: PAGE_SIZE }), [filterInput]);

  const list = api.admin.deliveries.list.useInfiniteQuery(listInput, {
    getNextPageParam: (page) => page.nextCursor,
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);

  // The URL catches up with router.replace asynchronously: merge each change into the latest
  // requested filters, so a debounced search landing just after a status change keeps both.
  const requested = useRef(filters);
  useEffect(() => {
    requested.current = filters;
  }, [filters]);
  const setFilters = useCallback(
    (patch: Partial<DeliveryFilterState>) => {
      requested.current = { ...requested.current, ...patch };
      setAnchor(Date.now());
      router.replace(`${pathname}${writeFilters(requested.current)}`, { scroll: false });
    },
    [pathname, router],
  );

  // Search as you type, debounced into the URL.
  const [searchDraft, setSearchDraft] = useState(filters.q);
  useEffect(() => {
    if (searchDraft.trim() === filters.q.trim()) return;
    const timer = setTimeout(() => setFilters({ q: searchDraft }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [searchDraft, filters.q, setFilters]);

  const [announcement, setAnnouncement] = useState<{ tone: "success" | "error" | "info"; text: string } | null>(null);

  // Live view: poll for new and changed rows, merged into the loaded pages.
  const [live, setLive] = useState(true);
  const [lastPoll, setLastPoll] = useState<Date | null>(null);
  const [pollError, setPollError] = useState<string | null>(null);
  const [freshIds, setFreshIds] = useState<ReadonlySet<string>>(new Set());
  const fetchingRef = useRef(false);
  useEffect(() => {
    fetchingRef.current = list.isFetching;
  }, [list.isFetching]);

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
            setAnnouncement({
              tone: "info",
              text: `${ids.length} new ${ids.length === 1 ? "delivery" : "deliveries"}`,
            });
          }
        }
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

  // Retries.
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
      setAnnouncement({ tone: "success", text: `Retry requested for the ${row.channel} delivery to ${row.target}.` });
    } catch (error) {
      setAnnouncement({ tone: "error", text: `Could not retry: ${errorMessage(error)}` });
    } finally {
      setRetryingIds((prev) => {
        const next = new Set(prev);
        next.delete(row.id);
        return next;
      });
    }
  }

  const retryAllStatus = filters.status ?? "failed";
  const retryAllAllowed = retryAllStatus === "failed" || retryAllStatus === "expired";

  async function retryAll() {
    if (retryMatching.isPending || !retryAllAllowed) return;
    const what = statusLabel(retryAllStatus).toLowerCase();
    if (!window.confirm(`Queue a retry for every ${what} delivery matching the current filters (up to 500 at a time)?`))
      return;
    try {
      const result = await retryMatching.mutateAsync(filterInput);
      const parts = [
        result.queued === 0
          ? `No ${what} deliveries needed a retry.`
          : `Queued ${result.queued} ${result.queued === 1 ? "retry" : "retries"}.`,
      ];
      if (result.alreadyRequested) parts.push(`${result.alreadyRequested} already had a retry waiting.`);
      if (result.skipped) parts.push(`${result.skipped} changed while queuing and were left alone.`);
      if (result.hasMore) parts.push("More match — click again to queue the next batch.");
      setAnnouncement({ tone: result.queued ? "success" : "info", text: parts.join(" ") });
      await utils.admin.deliveries.list.invalidate(listInput);
    } catch (error) {
      setAnnouncement({ tone: "error", text: `Could not queue retries: ${errorMessage(error)}` });
    }
  }

  const active = hasActiveFilters(filters);

  return (
    <div className="stack stack--loose">
      <DeliverySummary />

      <section aria-labelledby="history-title" className="stack">
        <div className="section-header">
          <h2 id="history-title">History</h2>
          <div className="toolbar">
            <span className="live-indicator" data-live={live && !pollError}>
              <span className="live-indicator__dot" aria-hidden="true" />
              {live
                ? pollError
                  ? "Live updates paused: connection problem"
                  : lastPoll
                    ? `Live · updated ${lastPoll.toLocaleTimeString()}`
                    : "Live"
                : "Live updates off"}
            </span>
            <button
              type="button"
              className="button button--ghost button--small"
              aria-pressed={live}
              onClick={() => setLive((v) => !v)}
            >
              {live ? "Pause live updates" : "Resume live updates"}
            </button>
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => void retryAll()}
              disabled={!retryAllAllowed || retryMatching.isPending}
              aria-busy={retryMatching.isPending}
              title={retryAllAllowed ? undefined : "Only failed or expired deliveries can be retried"}
            >
              {retryMatching.isPending
                ? "Queuing retries…"
                : `Retry all ${statusLabel(retryAllStatus).toLowerCase()}${active ? " matching" : ""}`}
            </button>
          </div>
        </div>

        <form role="search" aria-label="Filter deliveries" className="filters" onSubmit={(e) => e.preventDefault()}>
          <div className="filters__search field">
            <label htmlFor="filter-search" className="field__label">
              Search
            </label>
            <input
              id="filter-search"
              type="search"
              className="input"
              placeholder="Email, username, change id or event id"
              value={searchDraft}
              onChange={(e) => setSearchDraft(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          </div>
          <div className="field">
            <label htmlFor="filter-status" className="field__label">
              Status
            </label>
            <select
              id="filter-status"
              className="input"
              value={filters.status ?? ""}
              onChange={(e) => setFilters({ status: (e.target.value || null) as DeliveryFilterState["status"] })}
            >
              <option value="">All statuses</option>
              {DELIVERY_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {statusLabel(status)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-channel" className="field__label">
              Channel
            </label>
            <select
              id="filter-channel"
              className="input"
              value={filters.channel ?? ""}
              onChange={(e) => setFilters({ channel: (e.target.value || null) as DeliveryFilterState["channel"] })}
            >
              <option value="">All channels</option>
              {DELIVERY_CHANNELS.map((channel) => (
                <option key={channel} value={channel}>
                  {channel === "email" ? "Email" : "Push"}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-range" className="field__label">
              Created
            </label>
            <select
              id="filter-range"
              className="input"
              value={filters.range}
              onChange={(e) => setFilters({ range: e.target.value as TimeRangeKey })}
            >
              {TIME_RANGES.map((range) => (
                <option key={range.key} value={range.key}>
                  {range.label}
                </option>
              ))}
            </select>
          </div>
          {filters.range === "custom" && (
            <>
              <div className="field">
                <label htmlFor="filter-from" className="field__label">
                  From
                </label>
                <input
                  id="filter-from"
                  type="datetime-local"
                  className="input"
                  value={filters.from}
                  onChange={(e) => setFilters({ from: e.target.value })}
                />
              </div>
              <div className="field">
                <label htmlFor="filter-to" className="field__label">
                  Until
                </label>
                <input
                  id="filter-to"
                  type="datetime-local"
                  className="input"
                  value={filters.to}
                  onChange={(e) => setFilters({ to: e.target.value })}
                />
              </div>
            </>
          )}
          {active && (
            <div className="filters__clear">
              <button
                type="button"
                className="button button--ghost button--small"
                onClick={() => {
                  setSearchDraft("");
                  router.replace(pathname, { scroll: false });
                }}
              >
                Clear filters
              </button>
            </div>
          )}
        </form>

        <div role="status" aria-live="polite" className="announcer">
          {announcement && <p className={`alert alert--${announcement.tone}`}>{announcement.text}</p>}
        </div>

        {list.isPending ? (
          <div className="card skeleton-card" aria-busy="true">
            <p className="muted">Loading deliveries…</p>
          </div>
        ) : list.isError ? (
          <p className="alert alert--error" role="alert">
            Could not load deliveries: {list.error.message}
          </p>
        ) : rows.length === 0 ? (
          <div className="card empty">
            <p className="empty__title">{active ? "No deliveries match these filters." : "No deliveries yet."}</p>
            <p className="muted">
              {active
                ? "Try a wider time range or clear the filters."
                : "They appear here, live, as soon as someone changes their profile."}
            </p>
          </div>
        ) : (
          <>
            <DeliveriesTable rows={rows} freshIds={freshIds} retryingIds={retryingIds} onRetry={retryOne} />
            <div className="load-more">
              {list.hasNextPage ? (
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => list.fetchNextPage()}
                  disabled={list.isFetchingNextPage}
                  aria-busy={list.isFetchingNextPage}
                >
                  {list.isFetchingNextPage ? "Loading…" : "Load more"}
                </button>
              ) : (
                <p className="muted">
                  That&apos;s everything{rows.length > PAGE_SIZE ? ` — ${rows.length} deliveries` : ""}
                  {filters.range !== "all" && filters.range !== "custom"
                    ? ` since ${formatDateTime(new Date(anchor - (TIME_RANGES.find((r) => r.key === filters.range)?.ms ?? 0)))}`
                    : ""}
                  .
                </p>
              )}
            </div>
          </>
        )}
      </section>
    </div>
  );
}
