"use client";

import Link from "next/link";
import type { RouterOutputs } from "@acme/api";
import { accountEventLabel } from "@acme/validators";
import { formatDateTime, formatShortDateTime, listFields } from "~/lib/format";
import { RetryingNote } from "./retrying-note";
import { ChannelLabel, deliveryState, StatusBadge } from "./status-badge";

export type DeliveryRow = RouterOutputs["admin"]["deliveries"]["list"]["items"][number];

interface DeliveriesTableProps {
  rows: DeliveryRow[];
  freshIds: ReadonlySet<string>;
  retryingIds: ReadonlySet<string>;
  onRetry: (row: DeliveryRow) => void;
}

function Time({ value }: { value: Date }) {
  return (
    <time dateTime={value.toISOString()} title={formatDateTime(value)}>
      {formatShortDateTime(value)}
    </time>
  );
}

/**
 * The history: five columns that fit a laptop screen; on phones each row folds into a compact
 * block (CSS only, so the table keeps its semantics).
 */
export function DeliveriesTable({ rows, freshIds, retryingIds, onRetry }: DeliveriesTableProps) {
  return (
    <div className="table-wrap">
      <table className="table deliveries-table">
        <caption className="visually-hidden">Notification deliveries, newest first</caption>
        <colgroup>
          <col className="col-status" />
          <col />
          <col className="col-change" />
          <col className="col-time" />
          <col className="col-actions" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Delivery</th>
            <th scope="col">Change</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <DeliveryRowView
              key={row.id}
              row={row}
              fresh={freshIds.has(row.id)}
              requesting={retryingIds.has(row.id)}
              onRetry={onRetry}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DeliveryRowView({
  row,
  fresh,
  requesting,
  onRetry,
}: {
  row: DeliveryRow;
  fresh: boolean;
  requesting: boolean;
  onRetry: (row: DeliveryRow) => void;
}) {
  const label = `${row.channel} delivery to ${row.target}`;
  return (
    <tr className={fresh ? "row--fresh" : undefined}>
      <td className="cell-status">
        <div className="cell-stack">
          <StatusBadge status={deliveryState(row)} />
          {row.retrying && <RetryingNote retrying={row.retrying} label={false} className="subtle retrying-note" />}
          {row.retryRequestedAt && <span className="pill pill--accent">Retry requested</span>}
          {!row.retrying && (
            <span className="subtle">
              {row.attempts} {row.attempts === 1 ? "attempt" : "attempts"}
              {row.generation > 0 && ` · Retry #${row.generation}`}
            </span>
          )}
        </div>
      </td>
      <td className="cell-delivery">
        <div className="cell-stack cell-stack--fill">
          <span className="cell-line">
            <ChannelLabel channel={row.channel} />
            <code className="code subtle-code clamp-1" title={row.target}>
              {row.target}
            </code>
          </span>
          <span className="subtle clamp-1">
            <span className="strong">{row.user.username}</span> · {row.user.email}
          </span>
          {row.lastError && (
            <span className={`${row.status === "skipped" ? "subtle" : "error-text"} clamp-1`} title={row.lastError}>
              {row.lastError}
            </span>
          )}
        </div>
      </td>
      <td className="cell-change">
        <Link href={`/admin/changes/${row.change.id}`}>
          {listFields(row.change.changedFields) || accountEventLabel(row.change.kind)}
          <span className="visually-hidden"> change {row.change.id}</span>
        </Link>
        {row.change.reportedAt && <span className="pill pill--danger">Reported by the user</span>}
      </td>
      <td className="cell-time">
        <div className="cell-stack">
          <Time value={row.createdAt} />
          {row.sentAt && (
            <span className="subtle">
              sent <Time value={row.sentAt} />
            </span>
          )}
        </div>
      </td>
      <td className="cell-actions">
        <div className="row-actions">
          <Link
            href={`/admin/deliveries/${row.id}`}
            className="button button--ghost button--small"
            aria-label={`Details of ${label}`}
          >
            Details
          </Link>
          {row.retryable && !row.retryRequestedAt && (
            <button
              type="button"
              className="button button--secondary button--small"
              disabled={requesting}
              aria-busy={requesting}
              aria-label={`Retry ${label}`}
              onClick={() => onRetry(row)}
            >
              {requesting ? "Retrying…" : "Retry"}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}
