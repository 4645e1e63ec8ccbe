"use client";

import Link from "next/link";
import { useState } from "react";
import { capitalize, describeFieldChange, formatDateTime, listFields } from "~/lib/format";
import { describeUserAgent } from "~/lib/user-agent";
import { api } from "~/trpc/react";
import { Breadcrumbs } from "./delivery-detail";
import { AttemptTimeline, EmailPreview, PushPreview, RetryDeliveryButton, RunLink } from "./delivery-parts";
import { ChannelLabel, StatusBadge } from "./status-badge";

export function ChangeDetail({ id }: { id: string }) {
  const change = api.admin.changes.get.useQuery(
    { id },
    {
      refetchInterval: (query) =>
        query.state.data &&
        (query.state.data.deliveries.length === 0 ||
          query.state.data.deliveries.some((d) => d.status === "queued" || d.retryRequestedAt))
          ? 2_000
          : false,
    },
  );
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);

  if (change.isPending) return <p className="muted">Loading change…</p>;
  if (change.isError) {
    return (
      <div className="stack">
        <Breadcrumbs current="Profile change" />
        <h1>Change not available</h1>
        <p className="alert alert--error" role="alert">
          {change.error.message}
        </p>
      </div>
    );
  }
  const c = change.data;
  return (
    <div className="stack stack--loose">
      <Breadcrumbs current={`Change ${c.id}`} />
      <header className="detail-header">
        <div>
          <h1 className="detail-header__title">{capitalize(listFields(c.changedFields))} changed</h1>
          <p className="detail-header__meta">
            <span>
              by <span className="strong">{c.user.username}</span> ({c.user.email})
            </span>
            <time dateTime={c.createdAt.toISOString()}>{formatDateTime(c.createdAt)}</time>
          </p>
        </div>
      </header>
      <div role="status" aria-live="polite">
        {message && <p className={`alert alert--${message.ok ? "success" : "error"}`}>{message.text}</p>}
      </div>

      <div className="detail-grid">
        <section className="card" aria-labelledby="what-title">
          <h2 id="what-title" className="card__title">
            What changed
          </h2>
          <ul className="change-list" role="list">
            {Object.entries(c.changes).map(([field, fieldChange]) => (
              <li key={field}>{capitalize(describeFieldChange(field, fieldChange))}</li>
            ))}
          </ul>
          <dl className="facts">
            <div>
              <dt>Change id</dt>
              <dd className="mono">{c.id}</dd>
            </div>
            <div>
              <dt>Made by</dt>
              <dd>{c.actor.id === c.user.id ? "The user themselves" : `${c.actor.username} (${c.actor.email})`}</dd>
            </div>
            <div>
              <dt>From</dt>
              <dd>
                {describeUserAgent(c.userAgent)}
                {c.ipAddress && <> · IP {c.ipAddress}</>}
              </dd>
            </div>
          </dl>
        </section>
        <section className="card" aria-labelledby="event-title">
          <h2 id="event-title" className="card__title">
            Event
          </h2>
          {c.event ? (
            <dl className="facts">
              <div>
                <dt>Event id</dt>
                <dd className="mono">{c.event.id}</dd>
              </div>
              <div>
                <dt>Name</dt>
                <dd className="mono">{c.event.name}</dd>
              </div>
              <div>
                <dt>Handed to the executor</dt>
                <dd>
                  {c.event.dispatchedAt ? (
                    formatDateTime(c.event.dispatchedAt)
                  ) : (
                    <span className="muted">Not yet ({c.event.attempts} tries)</span>
                  )}
                </dd>
              </div>
              {c.event.lastError && (
                <div>
                  <dt>Last relay error</dt>
                  <dd className="error-text">{c.event.lastError}</dd>
                </div>
              )}
            </dl>
          ) : (
            <p className="muted">No outbox event found for this change.</p>
          )}
        </section>
      </div>

      <section aria-labelledby="notifications-title" className="stack">
        <h2 id="notifications-title">Notifications ({c.deliveries.length})</h2>
        {c.deliveries.length === 0 && (
          <p className="card muted">No deliveries yet — they appear here as soon as the delivery function runs.</p>
        )}
        {c.deliveries.map((d) => (
          <article key={d.id} className="card delivery-card" aria-labelledby={`delivery-${d.id}`}>
            <header className="delivery-card__header">
              <h3 id={`delivery-${d.id}`} className="delivery-card__title">
                <ChannelLabel channel={d.channel} /> to <span className="mono">{d.target}</span>
              </h3>
              <div className="delivery-card__actions">
                <StatusBadge status={d.status} />
                <RetryDeliveryButton delivery={d} onDone={(text, ok) => setMessage({ text, ok })} />
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
              {d.attempts} {d.attempts === 1 ? "attempt" : "attempts"}
              {d.sentAt && <> · sent {formatDateTime(d.sentAt)}</>} · run <RunLink runId={d.runId} runUrl={d.runUrl} />
            </p>
            {d.lastError && <p className="error-text">{d.lastError}</p>}
            <details className="disclosure">
              <summary>Attempts and content</summary>
              <div className="stack">
                <AttemptTimeline attempts={d.attemptLog} />
                {d.email && <EmailPreview email={d.email} />}
                {d.push && <PushPreview push={d.push} />}
              </div>
            </details>
          </article>
        ))}
      </section>
    </div>
  );
}
