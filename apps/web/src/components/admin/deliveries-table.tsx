"use client";

import Link from "next/link";
import type { RouterOutputs } from "@acme/api";
import { formatDateTime, formatShortDateTime, listFields, shortId } from "~/lib/format";
import { ChannelLabel, StatusBadge } from "./status-badge";

export type DeliveryRow = RouterOutputs["admin"]["deliveries"]["list"]["items"][number];

interface DeliveriesTableProps {
  rows: DeliveryRow[];
  freshIds: ReadonlySet<string>;
  retryingIds: ReadonlySet<string>;
  onRetry: (row: DeliveryRow) => void;
}

function Time({ value }: { value: Date | null }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <time dateTime={value.toISOString()} title={formatDateTime(value)}>
      {formatShortDateTime(value)}
    </time>
  );
}

/** The history table. Explicit ARIA table roles keep its semantics when CSS stacks it into cards on phones. */
export function DeliveriesTable({ rows, freshIds, retryingIds, onRetry }: DeliveriesTableProps) {
  return (
    // Focusable so keyboard users can scroll it sideways when the window is narrow.
    <div className="table-wrap" role="region" aria-label="Deliveries table" tabIndex={0}>
      <table className="table deliveries-table" role="table">
        <caption className="visually-hidden">Notification deliveries, newest first</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">
              Status
            </th>
            <th scope="col" role="columnheader">
              User
            </th>
            <th scope="col" role="columnheader">
              Channel and target
            </th>
            <th scope="col" role="columnheader">
              Change
            </th>
            <th scope="col" role="columnheader" className="num">
              Attempts
            </th>
            <th scope="col" role="columnheader">
              Last error
            </th>
            <th scope="col" role="columnheader">
              Created and sent
            </th>
            <th scope="col" role="columnheader">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map((row) => {
            const retrying = retryingIds.has(row.id);
            const label = `${row.channel === "email" ? "email" : "push"} delivery to ${row.target}`;
            return (
              <tr key={row.id} role="row" className={freshIds.has(row.id) ? "row--fresh" : undefined}>
                <td role="cell" data-label="Status">
                  <div className="cell-stack">
                    <StatusBadge status={row.status} />
                    {row.retryRequestedAt && <span className="pill pill--accent">Retry requested</span>}
                    {row.generation > 0 && <span className="subtle">Retry #{row.generation}</span>}
                  </div>
                </td>
                <td role="cell" data-label="User" className="user-cell">
                  <div className="cell-stack">
                    <span className="strong">{row.user.username}</span>
                    <span className="subtle nowrap-ellipsis" title={row.user.email}>
                      {row.user.email}
                    </span>
                  </div>
                </td>
                <td role="cell" data-label="Channel and target" className="target-cell">
                  <div className="cell-stack">
                    <ChannelLabel channel={row.channel} />
                    <code className="code subtle-code" title={row.target}>
                      {row.target}
                    </code>
                  </div>
                </td>
                <td role="cell" data-label="Change">
                  <div className="cell-stack">
                    <Link href={`/admin/changes/${row.change.id}`} className="nowrap">
                      {listFields(row.change.changedFields) || "change"}
                      <span className="visually-hidden"> change {row.change.id}</span>
                    </Link>
                    <span className="subtle mono" title={row.change.id}>
                      {shortId(row.change.id)}
                    </span>
                  </div>
                </td>
                <td role="cell" data-label="Attempts" className="num">
                  {row.attempts}
                </td>
                <td role="cell" data-label="Last error" className="error-cell">
                  {row.lastError ? (
                    <span className="error-text" title={row.lastError}>
                      {row.lastError}
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td role="cell" data-label="Created and sent">
                  <div className="cell-stack nowrap">
                    <Time value={row.createdAt} />
                    {row.sentAt ? (
                      <span className="subtle">
                        sent <Time value={row.sentAt} />
                      </span>
                    ) : (
                      <span className="subtle">not sent</span>
                    )}
                  </div>
                </td>
                <td role="cell" data-label="Actions">
                  <div className="row-actions">
                    <Link
                      href={`/admin/deliveries/${row.id}`}
                      className="button button--ghost button--small"
                      aria-label={`Details of ${label}`}
                    >
                      Details
                    </Link>
                    {row.retryable && (
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        disabled={retrying || Boolean(row.retryRequestedAt)}
                        aria-busy={retrying}
                        aria-label={row.retryRequestedAt ? `Retry already requested for ${label}` : `Retry ${label}`}
                        onClick={() => onRetry(row)}
                      >
                        {retrying ? "Retrying…" : row.retryRequestedAt ? "Requested" : "Retry"}
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
