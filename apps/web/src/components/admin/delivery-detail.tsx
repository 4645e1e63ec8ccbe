"use client";

import Link from "next/link";
import { useState } from "react";
import { capitalize, describeFieldChange, formatDateTime, listFields } from "~/lib/format";
import { describeUserAgent } from "~/lib/user-agent";
import { api } from "~/trpc/react";
import { AttemptTimeline, EmailPreview, PushPreview, RetryDeliveryButton, RunLink } from "./delivery-parts";
import { ChannelLabel, StatusBadge } from "./status-badge";

export function DeliveryDetail({ id }: { id: string }) {
  const delivery = api.admin.deliveries.get.useQuery(
    { id },
    // Keep watching while something is still going to happen to it.
    {
      refetchInterval: (query) =>
        query.state.data && (query.state.data.status === "queued" || query.state.data.retryRequestedAt) ? 2_000 : false,
    },
  );
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);

  if (delivery.isPending) return <p className="muted">Loading delivery…</p>;
  if (delivery.isError) {
    return (
      <div className="stack">
        <Breadcrumbs current="Delivery" />
        <h1>Delivery not available</h1>
        <p className="alert alert--error" role="alert">
          {delivery.error.message}
        </p>
      </div>
    );
  }
  const d = delivery.data;
  return (
    <div className="stack stack--loose">
      <Breadcrumbs current={`${d.channel === "email" ? "Email" : "Push"} to ${d.target}`} />
      <header className="detail-header">
        <div>
          <h1 className="detail-header__title">
            {d.channel === "email" ? "Email" : "Push notification"} to <span className="mono">{d.target}</span>
          </h1>
          <p className="detail-header__meta">
            <StatusBadge status={d.status} />
            <ChannelLabel channel={d.channel} />
            <span>
              for <span className="strong">{d.user.username}</span> ({d.user.email})
            </span>
          </p>
        </div>
        <RetryDeliveryButton delivery={d} onDone={(text, ok) => setMessage({ text, ok })} />
      </header>
      <div role="status" aria-live="polite">
        {message && <p className={`alert alert--${message.ok ? "success" : "error"}`}>{message.text}</p>}
      </div>
      {d.lastError && (
        <div className="alert alert--error">
          <p className="strong">Last error</p>
          <pre className="pre pre--plain">{d.lastError}</pre>
        </div>
      )}

      <div className="detail-grid">
        <section className="card" aria-labelledby="facts-title">
          <h2 id="facts-title" className="card__title">
            Details
          </h2>
          <dl className="facts">
            <div>
              <dt>Delivery id</dt>
              <dd className="mono">{d.id}</dd>
            </div>
            <div>
              <dt>Change</dt>
              <dd>
                <Link href={`/admin/changes/${d.change.id}`}>
                  {capitalize(listFields(d.change.changedFields)) || "View change"}
                </Link>{" "}
                <span className="subtle mono">{d.change.id}</span>
              </dd>
            </div>
            <div>
              <dt>Event id</dt>
              <dd className="mono">{d.eventId}</dd>
            </div>
            <div>
              <dt>Run</dt>
              <dd>
                <RunLink runId={d.runId} runUrl={d.runUrl} />
              </dd>
            </div>
            <div>
              <dt>Attempts</dt>
              <dd>
                {d.attempts}
                {d.generation > 0 && (
                  <span className="subtle">
                    {" "}
                    · retried by an admin {d.generation} {d.generation === 1 ? "time" : "times"}
                  </span>
                )}
              </dd>
            </div>
            <div>
              <dt>Provider message id</dt>
              <dd className="mono">{d.providerMessageId ?? <span className="muted">—</span>}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatDateTime(d.createdAt)}</dd>
            </div>
            <div>
              <dt>Last updated</dt>
              <dd>{formatDateTime(d.updatedAt)}</dd>
            </div>
            <div>
              <dt>Sent</dt>
              <dd>{d.sentAt ? formatDateTime(d.sentAt) : <span className="muted">Not sent</span>}</dd>
            </div>
          </dl>
        </section>

        <section className="card" aria-labelledby="attempts-title">
          <h2 id="attempts-title" className="card__title">
            Attempts
          </h2>
          <AttemptTimeline attempts={d.attemptLog} />
        </section>
      </div>

      <section className="card" aria-labelledby="content-title">
        <h2 id="content-title" className="card__title">
          What was sent
        </h2>
        {d.email ? (
          <EmailPreview email={d.email} />
        ) : d.push ? (
          <PushPreview push={d.push} />
        ) : (
          <p className="muted">Nothing was rendered yet: content is stored when the delivery is first attempted.</p>
        )}
      </section>

      <section className="card" aria-labelledby="change-title">
        <h2 id="change-title" className="card__title">
          The change it belongs to
        </h2>
        <ul className="change-list" role="list">
          {Object.entries(d.change.changes).map(([field, change]) => (
            <li key={field}>{capitalize(describeFieldChange(field, change))}</li>
          ))}
        </ul>
        <p className="subtle">
          {formatDateTime(d.change.createdAt)} · {describeUserAgent(d.change.userAgent)}
          {d.change.ipAddress && <> · IP {d.change.ipAddress}</>}
        </p>
      </section>

      <section className="card" aria-labelledby="retries-title">
        <h2 id="retries-title" className="card__title">
          Retry requests
        </h2>
        {d.retryRequests.length === 0 ? (
          <p className="muted">No admin has asked to retry this delivery.</p>
        ) : (
          <ul className="plain-list" role="list">
            {d.retryRequests.map((request) => (
              <li key={request.id}>
                <span className="strong">{request.requestedBy?.email ?? "A former admin"}</span> asked at{" "}
                {formatDateTime(request.requestedAt)} ·{" "}
                {request.takenAt
                  ? request.reopened
                    ? `taken by the retry run at ${formatDateTime(request.takenAt)}`
                    : `nothing to retry by ${formatDateTime(request.takenAt)} (the delivery was no longer failed or expired)`
                  : request.dispatchedAt
                    ? `handed to the executor at ${formatDateTime(request.dispatchedAt)}`
                    : "waiting for the outbox relay"}
                {request.outboxEventId && <span className="subtle mono"> · event {request.outboxEventId}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export function Breadcrumbs({ current }: { current: string }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumbs">
      <ol role="list">
        <li>
          <Link href="/admin">Deliveries</Link>
        </li>
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  );
}
