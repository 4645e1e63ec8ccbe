"use client";

import type { RouterOutputs } from "@acme/api";
import { formatDateTime } from "~/lib/format";
import { errorMessage } from "~/lib/trpc-errors";
import { api } from "~/trpc/react";
import { StatusBadge } from "./status-badge";

type Delivery = RouterOutputs["admin"]["deliveries"]["get"];
type Attempt = Delivery["attemptLog"][number];

export function RunLink({ runId, runUrl }: { runId: string | null; runUrl: string | null }) {
  if (!runId) return <span className="muted">Not started yet</span>;
  if (!runUrl) return <code className="code">{runId}</code>;
  return (
    <a href={runUrl} target="_blank" rel="noreferrer" className="mono">
      {runId}
      <span className="visually-hidden"> (opens the executor&apos;s run API in a new tab)</span>
      <span aria-hidden="true"> ↗</span>
    </a>
  );
}

/** Every try of a delivery, oldest first. */
export function AttemptTimeline({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length === 0) return <p className="muted">No attempts recorded yet.</p>;
  return (
    <ol className="timeline" role="list">
      {attempts.map((attempt) => (
        <li key={attempt.id} className={`timeline__item timeline__item--${attempt.outcome}`}>
          <span className="timeline__marker" aria-hidden="true" />
          <div className="timeline__body">
            <p className="timeline__head">
              <span className="strong">Attempt {attempt.attempt}</span>
              <StatusBadge status={attempt.outcome} />
              <time dateTime={attempt.createdAt.toISOString()} className="subtle">
                {formatDateTime(attempt.createdAt)}
              </time>
            </p>
            {attempt.error && <pre className="timeline__error">{attempt.error}</pre>}
            {attempt.runId && (
              <p className="subtle">
                Run <RunLink runId={attempt.runId} runUrl={attempt.runUrl} />
              </p>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}

/** The email as the user received it, in a sandboxed frame (no scripts, no same-origin access). */
export function EmailPreview({ email, title }: { email: NonNullable<Delivery["email"]>; title?: string }) {
  return (
    <div className="email-preview">
      <dl className="email-preview__headers">
        <div>
          <dt>Subject</dt>
          <dd className="strong">{email.subject || <span className="muted">(none)</span>}</dd>
        </div>
        <div>
          <dt>From</dt>
          <dd>{email.from}</dd>
        </div>
        <div>
          <dt>To</dt>
          <dd>{email.to}</dd>
        </div>
      </dl>
      {email.html ? (
        <iframe
          className="email-frame"
          sandbox=""
          srcDoc={email.html}
          title={title ?? `Email: ${email.subject || "no subject"}`}
        />
      ) : (
        <p className="muted">No HTML version was sent.</p>
      )}
      {email.text && (
        <details className="disclosure">
          <summary>Plain-text version</summary>
          <pre className="pre">{email.text}</pre>
        </details>
      )}
    </div>
  );
}

/** The push notification roughly as a browser shows it, plus the exact payload. */
export function PushPreview({ push }: { push: NonNullable<Delivery["push"]> }) {
  return (
    <div className="push-preview">
      <figure className="notification-mock">
        <figcaption className="visually-hidden">Notification preview</figcaption>
        <span className="notification-mock__icon" aria-hidden="true">
          ◉
        </span>
        <div>
          <p className="notification-mock__title">{push.title}</p>
          <p className="notification-mock__body">{push.body}</p>
          <p className="notification-mock__site">Opens {push.url}</p>
        </div>
      </figure>
      <details className="disclosure" open>
        <summary>Payload</summary>
        <pre className="pre">{JSON.stringify(push, null, 2)}</pre>
      </details>
    </div>
  );
}

/** Retry one failed or expired delivery; shows when a retry is already waiting. */
export function RetryDeliveryButton({
  delivery,
  onDone,
}: {
  delivery: { id: string; retryable: boolean; retryRequestedAt: Date | null };
  onDone?: (message: string, ok: boolean) => void;
}) {
  const utils = api.useUtils();
  const retry = api.admin.deliveries.retry.useMutation({
    onSuccess: async () => {
      onDone?.("Retry requested. The delivery function will pick it up in a moment.", true);
      await Promise.all([
        utils.admin.deliveries.get.invalidate({ id: delivery.id }),
        utils.admin.changes.get.invalidate(),
        utils.admin.deliveries.list.invalidate(),
      ]);
    },
    onError: (error) => onDone?.(`Could not retry: ${errorMessage(error)}`, false),
  });
  if (!delivery.retryable) return null;
  if (delivery.retryRequestedAt) {
    return (
      <span className="pill pill--accent" title={`Requested ${formatDateTime(delivery.retryRequestedAt)}`}>
        Retry requested
      </span>
    );
  }
  return (
    <button
      type="button"
      className="button button--primary button--small"
      disabled={retry.isPending}
      aria-busy={retry.isPending}
      onClick={() => !retry.isPending && retry.mutate({ id: delivery.id })}
    >
      {retry.isPending ? "Requesting…" : "Retry delivery"}
    </button>
  );
}
