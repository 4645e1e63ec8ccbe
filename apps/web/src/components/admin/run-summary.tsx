"use client";

import Link from "next/link";
import type { RouterOutputs } from "@acme/api";
import { formatDuration } from "~/lib/delivery-state";
import { formatDateTime } from "~/lib/format";
import { api } from "~/trpc/react";

export type RunView = RouterOutputs["admin"]["runs"]["get"];

const RUN_TONE: Record<string, string> = {
  Running: "queued",
  Queued: "queued",
  Scheduled: "queued",
  Completed: "sent",
  Failed: "failed",
  Cancelled: "skipped",
};

/** The admin page of a run: inside the app, whichever Inngest deployment holds the run. */
export function RunLink({ runId }: { runId: string | null }) {
  if (!runId) return <span className="muted">Not started yet</span>;
  return (
    <Link href={`/admin/runs/${encodeURIComponent(runId)}`} className="mono break">
      {runId}
    </Link>
  );
}

/** Inngest's own page for a run, when the deployment has one. */
export function InngestRunLink({ pageUrl }: { pageUrl: string | null }) {
  if (!pageUrl) return null;
  return (
    <a href={pageUrl} target="_blank" rel="noreferrer" className="button button--ghost button--small">
      Open in Inngest
      <span className="visually-hidden"> (new tab)</span>
      <span aria-hidden="true"> ↗</span>
    </a>
  );
}

/** Inngest's view of a run (status, timing), polled while it runs. */
export function useRun(runId: string | null) {
  return api.admin.runs.get.useQuery(
    { runId: runId ?? "" },
    {
      enabled: Boolean(runId),
      refetchInterval: (query) => (query.state.data?.run && !query.state.data.run.endedAt ? 2_000 : false),
      retry: false,
    },
  );
}

/** One line about a run: status, start, duration, and why Inngest could not be read if it could not. */
export function RunFacts({ view }: { view: RunView | undefined }) {
  if (!view) return <span className="subtle">Reading the run…</span>;
  if (!view.run) return <span className="subtle">Inngest&apos;s view is unavailable: {view.problem}</span>;
  const { run } = view;
  const tone = RUN_TONE[run.status] ?? "skipped";
  return (
    <span className="run-facts">
      <span className={`badge badge--${tone}`}>{run.status}</span>
      {run.startedAt && (
        <span className="subtle">
          started <time dateTime={run.startedAt.toISOString()}>{formatDateTime(run.startedAt)}</time>
        </span>
      )}
      {run.startedAt && run.endedAt && (
        <span className="subtle">took {formatDuration(run.endedAt.getTime() - run.startedAt.getTime())}</span>
      )}
      {run.error && <span className="error-text">{run.error}</span>}
    </span>
  );
}
