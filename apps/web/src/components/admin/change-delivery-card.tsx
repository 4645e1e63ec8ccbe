"use client";

import Link from "next/link";
import type { RouterOutputs } from "@acme/api";
import { formatDateTime } from "~/lib/format";
import { EmailPreview, PushPreview, RetryDeliveryButton, type RetryFeedback } from "./delivery-parts";
import { DeliveryTimeline } from "./delivery-timeline";
import { RetryingNote } from "./retrying-note";
import { RunLink } from "./run-summary";
import { ChannelLabel, deliveryState, StatusBadge } from "./status-badge";

type ChangeDelivery = RouterOutputs["admin"]["changes"]["get"]["deliveries"][number];

/** One notification of a change, with its timeline and content folded away. */
export function ChangeDeliveryCard({
  delivery: d,
  onRetried,
}: {
  delivery: ChangeDelivery;
  onRetried: (feedback: RetryFeedback) => void;
}) {
  return (
    <article className="card delivery-card" aria-labelledby={`delivery-${d.id}`}>
      <header className="delivery-card__header">
        <h3 id={`delivery-${d.id}`} className="delivery-card__title">
          <ChannelLabel channel={d.channel} /> to <span className="mono break">{d.target}</span>
        </h3>
        <div className="delivery-card__actions">
          <StatusBadge status={deliveryState(d)} />
          <RetryDeliveryButton delivery={d} onDone={onRetried} />
          <Link href={`/admin/deliveries/${d.id}`} className="button button--ghost button--small">
            Open
            <span className="visually-hidden">
              {" "}
              {d.channel} delivery to {d.target}
            </span>
          </Link>
        </div>
      </header>
      <p className="subtle">
        {d.retrying ? (
          <RetryingNote retrying={d.retrying} />
        ) : (
          <>
            {d.attempts} {d.attempts === 1 ? "attempt" : "attempts"}
          </>
        )}
        {d.sentAt && <> · sent {formatDateTime(d.sentAt)}</>} · run <RunLink runId={d.runId} />
      </p>
      {d.lastError && <p className={d.status === "skipped" ? "subtle" : "error-text"}>{d.lastError}</p>}
      <details className="disclosure">
        <summary>Timeline and content</summary>
        <div className="stack">
          <DeliveryTimeline delivery={d} />
          {d.email && <EmailPreview email={d.email} />}
          {d.push && <PushPreview push={d.push} />}
        </div>
      </details>
    </article>
  );
}
