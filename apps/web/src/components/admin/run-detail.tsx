"use client";

import Link from "next/link";
import { formatDuration } from "~/lib/delivery-state";
import { formatDateTime } from "~/lib/format";
import { Breadcrumbs } from "./breadcrumbs";
import { InngestRunLink, RunFacts, useRun } from "./run-summary";
import { ChannelLabel, StatusBadge } from "./status-badge";

/** One run, inside the app under every deployment: Inngest's view of it and what it did here. */
export function RunDetail({ runId }: { runId: string }) {
  const query = useRun(runId);
  if (query.isPending) return <p className="muted">Loading run…</p>;
  if (query.isError) {
    return (
      <div className="stack">
        <Breadcrumbs current="Run" />
        <h1>Run not available</h1>
        <p className="alert alert--error" role="alert">
          {query.error.message}
        </p>
      </div>
    );
  }
  const view = query.data;
  const run = view.run;
  return (
    <div className="stack stack--loose">
      <Breadcrumbs current={`Run ${runId}`} />
      <header className="detail-header">
        <div>
          <h1 className="detail-header__title">
            Run <span className="mono break">{runId}</span>
          </h1>
          <p className="detail-header__meta">
            <RunFacts view={view} />
          </p>
        </div>
        <InngestRunLink pageUrl={view.pageUrl} />
      </header>

      <section className="card" aria-labelledby="inngest-title">
        <h2 id="inngest-title" className="card__title">
          As Inngest sees it
        </h2>
        {run ? (
          <dl className="facts">
            <Fact term="Status">{run.status}</Fact>
            <Fact term="Function">{run.functionId ?? "—"}</Fact>
            <Fact term="Triggering event">{run.eventId ?? "—"}</Fact>
            <Fact term="Started">{run.startedAt ? formatDateTime(run.startedAt) : "—"}</Fact>
            <Fact term="Ended">{run.endedAt ? formatDateTime(run.endedAt) : "Still running"}</Fact>
            {run.nextJob && (
              <Fact term="Next queued job">
                {formatDateTime(run.nextJob.at)}
                {run.nextJob.attempt !== null && ` (attempt ${run.nextJob.attempt + 1})`}
              </Fact>
            )}
          </dl>
        ) : (
          <p className="muted">{view.problem}</p>
        )}
        <p className="subtle">Read from {view.source ?? "no Inngest server"} (Inngest&apos;s REST API, /v1/runs).</p>
      </section>

      <section className="card" aria-labelledby="tries-title">
        <h2 id="tries-title" className="card__title">
          Delivery tries in this run ({view.attempts.length})
        </h2>
        {view.attempts.length === 0 ? (
          <p className="muted">This run has not recorded a delivery try.</p>
        ) : (
          <ol className="timeline" role="list">
            {view.attempts.map((attempt) => (
              <li key={attempt.id} className={`timeline__item timeline__item--${attempt.outcome}`}>
                <span className="timeline__marker" aria-hidden="true" />
                <div className="timeline__body">
                  <p className="timeline__head">
                    <Link href={`/admin/deliveries/${attempt.delivery.id}`}>
                      <ChannelLabel channel={attempt.delivery.channel} /> to {attempt.delivery.target}
                    </Link>
                    <span className="strong">attempt {attempt.attempt}</span>
                    <StatusBadge status={attempt.outcome === "queued" ? "failed" : attempt.outcome} />
                  </p>
                  <p className="timeline__meta subtle">
                    <span>{formatDateTime(attempt.startedAt ?? attempt.finishedAt)}</span>
                    {attempt.durationMs !== null && <span>took {formatDuration(attempt.durationMs)}</span>}
                    <span>
                      {attempt.providerStatus !== null
                        ? `provider answered ${attempt.providerStatus}`
                        : "provider not reached"}
                    </span>
                  </p>
                  {attempt.error && <pre className="timeline__error">{attempt.error}</pre>}
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>
      {view.retryRequests.length > 0 && (
        <section className="card" aria-labelledby="requests-title">
          <h2 id="requests-title" className="card__title">
            Admin retry requests this run took
          </h2>
          <ul className="plain-list" role="list">
            {view.retryRequests.map((request) => (
              <li key={request.id}>
                Requested {formatDateTime(request.requestedAt)}
                {request.takenAt && ` · taken ${formatDateTime(request.takenAt)}`}
                {request.reopened === false && " · nothing to retry"} ·{" "}
                <Link href={`/admin/deliveries/${request.deliveryId}`}>the delivery</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd className="break">{children}</dd>
    </div>
  );
}
