"use client";

import { useState } from "react";
import { api } from "~/trpc/react";
import { Breadcrumbs } from "./breadcrumbs";
import { RetryDeliveryButton, visibleFeedback, type RetryFeedback } from "./delivery-parts";
import { ChangeSection, DeliveryContent, DeliveryFacts, RetryRequests } from "./delivery-sections";
import { DeliveryTimeline } from "./delivery-timeline";
import { RetryingNote } from "./retrying-note";
import { useRun } from "./run-summary";
import { ChannelLabel, deliveryState, StatusBadge } from "./status-badge";

export function DeliveryDetail({ id }: { id: string }) {
  const delivery = api.admin.deliveries.get.useQuery(
    { id },
    // Keep watching while something is still going to happen to it.
    {
      refetchInterval: (query) =>
        query.state.data && (query.state.data.status === "queued" || query.state.data.retryRequestedAt) ? 2_000 : false,
    },
  );
  const run = useRun(delivery.data?.retrying ? delivery.data.runId : null);
  const [feedback, setFeedback] = useState<RetryFeedback | null>(null);

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
  const shown = visibleFeedback(feedback, [d]);
  return (
    <div className="stack stack--loose">
      <Breadcrumbs current={`${d.channel === "email" ? "Email" : "Push"} to ${d.target}`} />
      <header className="detail-header">
        <div>
          <h1 className="detail-header__title">
            {d.channel === "email" ? "Email" : "Push notification"} to <span className="mono break">{d.target}</span>
          </h1>
          <p className="detail-header__meta">
            <StatusBadge status={deliveryState(d)} />
            <ChannelLabel channel={d.channel} />
            <span className="break">
              for <span className="strong">{d.user.username}</span> ({d.user.email})
            </span>
          </p>
          {d.retrying && (
            <p>
              <RetryingNote retrying={d.retrying} scheduledAt={run.data?.run?.nextJob?.at ?? null} />
            </p>
          )}
        </div>
        <RetryDeliveryButton delivery={d} onDone={setFeedback} />
      </header>
      <div role="status" aria-live="polite" className="announcer">
        {shown && <p className={`alert alert--${shown.ok ? "success" : "error"}`}>{shown.text}</p>}
      </div>
      {d.lastError && d.status !== "skipped" && (
        <div className="alert alert--error">
          <p className="strong">{d.retrying ? "Last try failed" : "Last error"}</p>
          <pre className="pre pre--plain">{d.lastError}</pre>
        </div>
      )}

      <div className="detail-grid">
        <Section id="facts" title="Details">
          <DeliveryFacts d={d} />
        </Section>
        <Section id="timeline" title="Timeline">
          <DeliveryTimeline delivery={d} />
        </Section>
      </div>
      <Section id="content" title="What was sent">
        <DeliveryContent d={d} />
      </Section>
      <Section id="change" title="The change it belongs to">
        <ChangeSection change={d.change} />
      </Section>
      <Section id="retries" title="Retry requests">
        <RetryRequests requests={d.retryRequests} />
      </Section>
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card__title">
        {title}
      </h2>
      {children}
    </section>
  );
}
