"use client";

import { api } from "~/trpc/react";
import { DeliveriesChart } from "./deliveries-chart";
import { FailedAlert } from "./failed-alert";
import { DELIVERY_STATUSES, StatusBadge } from "./status-badge";

/** Deliveries per status over the last hour and day, and per hour over the last 24. */
export function DeliverySummary() {
  const summary = api.admin.summary.useQuery(undefined, { refetchInterval: 10_000 });
  const windows = [
    { key: "lastHour", title: "Last hour" },
    { key: "lastDay", title: "Last 24 hours" },
  ] as const;
  return (
    <section aria-labelledby="summary-title" className="summary stack">
      <h2 id="summary-title" className="visually-hidden">
        Summary
      </h2>
      {summary.isError && <p className="alert alert--error">Could not load the summary: {summary.error.message}</p>}
      {summary.data && <FailedAlert count={summary.data.failedAwaitingAction} />}
      <div className="summary__grid">
        {windows.map(({ key, title }) => {
          const counts = summary.data?.[key];
          return (
            <div key={key} className="card summary-card">
              <h3 className="summary-card__title">
                {title}
                <span className="summary-card__total">{counts ? `${counts.total.toLocaleString()} total` : "…"}</span>
              </h3>
              <dl className="summary-card__counts">
                {DELIVERY_STATUSES.map((status) => (
                  <div
                    key={status}
                    className={`summary-count${counts && counts[status] > 0 && (status === "failed" || status === "expired") ? " summary-count--alert" : ""}`}
                  >
                    <dt>
                      <StatusBadge status={status} />
                    </dt>
                    <dd>{counts ? counts[status].toLocaleString() : "–"}</dd>
                  </div>
                ))}
              </dl>
            </div>
          );
        })}
      </div>
      {summary.data && <DeliveriesChart hourly={summary.data.hourly} />}
    </section>
  );
}
