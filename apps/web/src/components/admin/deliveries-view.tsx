"use client";

import { useMemo, useState } from "react";
import { TIME_RANGES } from "~/lib/admin-filters";
import { formatDateTime } from "~/lib/format";
import { api } from "~/trpc/react";
import { DeliveriesTable } from "./deliveries-table";
import { DeliveryFilterForm } from "./delivery-filter-form";
import { RetryAllDialog } from "./retry-all-dialog";
import { statusLabel } from "./status-badge";
import { LiveIndicator } from "./live-indicator";
import { DeliverySummary } from "./summary";
import { useDeliveryFilters } from "./use-delivery-filters";
import { useLiveDeliveries } from "./use-live-deliveries";
import { currentAnnouncement, useRetries, type Announcement } from "./use-retries";

const PAGE_SIZE = 25;

/** /admin: the summary and chart, then the live, filterable history. */
export function DeliveriesView() {
  const f = useDeliveryFilters();
  const listInput = useMemo(() => ({ ...f.filterInput, limit: PAGE_SIZE }), [f.filterInput]);
  const list = api.admin.deliveries.list.useInfiniteQuery(listInput, {
    getNextPageParam: (page) => page.nextCursor,
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);

  const [announcement, announce] = useState<Announcement | null>(null);
  const live = useLiveDeliveries(listInput, f.filterInput, list, (count) =>
    announce({ tone: "info", text: `${count} new ${count === 1 ? "delivery" : "deliveries"}` }),
  );
  const retries = useRetries(listInput, announce);
  const [confirming, setConfirming] = useState(false);
  const retryAllStatus = f.filters.status ?? "failed";
  const retryAllAllowed = retryAllStatus === "failed" || retryAllStatus === "expired";
  const what = statusLabel(retryAllStatus).toLowerCase();
  const shown = currentAnnouncement(announcement, rows);

  return (
    <div className="stack stack--loose">
      <DeliverySummary />

      <section aria-labelledby="history-title" className="stack">
        <div className="section-header">
          <h2 id="history-title">History</h2>
          <div className="toolbar">
            <LiveIndicator {...live} />
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => setConfirming(true)}
              disabled={!retryAllAllowed || retries.retryAllPending}
              aria-busy={retries.retryAllPending}
              title={retryAllAllowed ? undefined : "Only failed or expired deliveries can be retried"}
            >
              {retries.retryAllPending ? "Queuing retries…" : `Retry all ${what}${f.active ? " matching" : ""}…`}
            </button>
          </div>
        </div>
        <RetryAllDialog
          open={confirming}
          input={f.filterInput}
          what={what}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void retries.retryAll(f.filterInput, what);
          }}
        />

        <DeliveryFilterForm filters={f} />

        <div role="status" aria-live="polite" className="announcer">
          {shown && <p className={`alert alert--${shown.tone}`}>{shown.text}</p>}
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
            <p className="empty__title">{f.active ? "No deliveries match these filters." : "No deliveries yet."}</p>
            <p className="muted">
              {f.active
                ? "Try a wider time range or clear the filters."
                : "They appear here, live, as soon as someone changes their profile."}
            </p>
          </div>
        ) : (
          <>
            <DeliveriesTable
              rows={rows}
              freshIds={live.freshIds}
              retryingIds={retries.retryingIds}
              onRetry={(row) => void retries.retryOne(row)}
            />
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
                  {sinceText(f.filters.range, f.anchor)}.
                </p>
              )}
            </div>
          </>
        )}
      </section>
    </div>
  );
}

function sinceText(range: string, anchor: number): string {
  const ms = TIME_RANGES.find((r) => r.key === range)?.ms;
  return ms ? ` since ${formatDateTime(new Date(anchor - ms))}` : "";
}
