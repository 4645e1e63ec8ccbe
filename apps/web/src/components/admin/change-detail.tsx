"use client";

import { useState } from "react";
import { accountEventLabel } from "@acme/validators";
import { capitalize, describeFieldChange, formatDateTime, listFields } from "~/lib/format";
import { describeUserAgent } from "~/lib/user-agent";
import { api } from "~/trpc/react";
import { Breadcrumbs } from "./breadcrumbs";
import { ChangeDeliveryCard } from "./change-delivery-card";
import { visibleFeedback, type RetryFeedback } from "./delivery-parts";

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
  const [feedback, setFeedback] = useState<RetryFeedback | null>(null);

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
  const shown = visibleFeedback(feedback, c.deliveries);
  return (
    <div className="stack stack--loose">
      <Breadcrumbs current={`Change ${c.id}`} />
      <header className="detail-header">
        <div>
          <h1 className="detail-header__title">
            {c.kind === "profile_updated" ? `${capitalize(listFields(c.changedFields))} changed` : c.title}
          </h1>
          {c.reportedAt && (
            <p className="alert alert--error">
              <span className="strong">Reported by the user</span> — “This wasn&apos;t me” on{" "}
              {formatDateTime(c.reportedAt)}: the change was undone, every session ended and a password reset sent.
            </p>
          )}
          <p className="detail-header__meta">
            <span>
              by <span className="strong">{c.user.username}</span> <span className="break">({c.user.email})</span>
            </span>
            <time dateTime={c.createdAt.toISOString()}>{formatDateTime(c.createdAt)}</time>
          </p>
        </div>
      </header>
      <div role="status" aria-live="polite" className="announcer">
        {shown && <p className={`alert alert--${shown.ok ? "success" : "error"}`}>{shown.text}</p>}
      </div>

      <div className="detail-grid">
        <section className="card" aria-labelledby="what-title">
          <h2 id="what-title" className="card__title">
            What changed
          </h2>
          {c.changedFields.length > 0 ? (
            <ul className="change-list" role="list">
              {Object.entries(c.changes).map(([field, fieldChange]) => (
                <li key={field}>{capitalize(describeFieldChange(field, fieldChange))}</li>
              ))}
            </ul>
          ) : (
            <p>{capitalize(accountEventLabel(c.kind))}</p>
          )}
          <dl className="facts">
            <div>
              <dt>Change id</dt>
              <dd className="mono">{c.id}</dd>
            </div>
            <div>
              <dt>User&apos;s answer</dt>
              <dd>
                {c.reportedAt
                  ? `Reported by the user (${formatDateTime(c.reportedAt)})`
                  : c.confirmedAt
                    ? `Confirmed by the user (${formatDateTime(c.confirmedAt)})`
                    : "None"}
              </dd>
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
          <ChangeDeliveryCard key={d.id} delivery={d} onRetried={setFeedback} />
        ))}
        {c.deliveries.length > 0 && !c.deliveries.some((d) => d.channel === "push") && (
          <p className="muted">No push notification: the user had no push devices when it was sent.</p>
        )}
      </section>
    </div>
  );
}
