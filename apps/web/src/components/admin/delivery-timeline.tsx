"use client";

import type { RouterOutputs } from "@acme/api";
import { formatDuration } from "~/lib/delivery-state";
import { formatDateTime } from "~/lib/format";
import { RetryingNote } from "./retrying-note";
import { InngestRunLink, RunFacts, RunLink, useRun } from "./run-summary";
import { StatusBadge } from "./status-badge";

type Delivery = Pick<
  RouterOutputs["admin"]["deliveries"]["get"],
  "status" | "lastError" | "runId" | "retrying" | "attemptLog"
>;
type Attempt = Delivery["attemptLog"][number];

/**
 * Every try of a delivery grouped by the run that made it: Inngest's view of each run beside
 * what each try recorded (start, duration, outcome, the provider's status and error).
 */
export function DeliveryTimeline({ delivery }: { delivery: Delivery }) {
  if (delivery.status === "skipped") {
    return (
      <p className="muted">
        Never attempted{delivery.lastError ? `: ${lowerFirst(delivery.lastError)}` : ""}. A skipped delivery is recorded
        so the history is complete; nothing will be sent.
      </p>
    );
  }
  const runs = groupByRun(delivery.attemptLog, delivery.runId);
  if (runs.length === 0) {
    return <p className="muted">No try yet: the delivery function picks it up in a moment.</p>;
  }
  return (
    <ol className="run-list" role="list">
      {runs.map(({ runId, attempts }) => (
        <RunGroup
          key={runId ?? "none"}
          runId={runId}
          attempts={attempts}
          retrying={runId === delivery.runId ? delivery.retrying : null}
        />
      ))}
    </ol>
  );
}

function RunGroup({
  runId,
  attempts,
  retrying,
}: {
  runId: string | null;
  attempts: Attempt[];
  retrying: Delivery["retrying"];
}) {
  const view = useRun(runId).data;
  return (
    <li className="run-group">
      <div className="run-group__head">
        <span className="strong">Run</span> <RunLink runId={runId} />
        {runId && <RunFacts view={view} />}
        {view && <InngestRunLink pageUrl={view.pageUrl} />}
      </div>
      <ol className="timeline" role="list">
        {attempts.map((attempt) => (
          <AttemptItem key={attempt.id} attempt={attempt} />
        ))}
        {retrying && (
          <li className="timeline__item timeline__item--pending">
            <span className="timeline__marker" aria-hidden="true" />
            <div className="timeline__body">
              <p className="timeline__head">
                <RetryingNote retrying={retrying} scheduledAt={view?.run?.nextJob?.at ?? null} className="strong" />
              </p>
            </div>
          </li>
        )}
      </ol>
    </li>
  );
}

function AttemptItem({ attempt }: { attempt: Attempt }) {
  // A try recorded as "queued" failed in a way worth retrying.
  const willRetry = attempt.outcome === "queued";
  return (
    <li className={`timeline__item timeline__item--${attempt.outcome}`}>
      <span className="timeline__marker" aria-hidden="true" />
      <div className="timeline__body">
        <p className="timeline__head">
          <span className="strong">Attempt {attempt.attempt}</span>
          <StatusBadge status={willRetry ? "failed" : attempt.outcome} />
          {willRetry && <span className="subtle">will retry</span>}
        </p>
        <p className="timeline__meta subtle">
          <time dateTime={(attempt.startedAt ?? attempt.finishedAt).toISOString()}>
            {formatDateTime(attempt.startedAt ?? attempt.finishedAt)}
          </time>
          {attempt.durationMs !== null && <span>took {formatDuration(attempt.durationMs)}</span>}
          <span>
            {attempt.providerStatus !== null ? `provider answered ${attempt.providerStatus}` : "provider not reached"}
          </span>
        </p>
        {attempt.error && <pre className="timeline__error">{attempt.error}</pre>}
      </div>
    </li>
  );
}

function groupByRun(attempts: Attempt[], currentRun: string | null) {
  const groups: { runId: string | null; attempts: Attempt[] }[] = [];
  for (const attempt of attempts) {
    const last = groups.at(-1);
    if (last && last.runId === attempt.runId) last.attempts.push(attempt);
    else groups.push({ runId: attempt.runId, attempts: [attempt] });
  }
  // A run that has started but not recorded a try yet (an admin retry just taken).
  if (currentRun && groups.at(-1)?.runId !== currentRun) groups.push({ runId: currentRun, attempts: [] });
  return groups;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
