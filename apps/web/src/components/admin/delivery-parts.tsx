"use client";

import type { RouterOutputs } from "@acme/api";
import { formatDateTime } from "~/lib/format";
import { errorMessage } from "~/lib/trpc-errors";
import { api } from "~/trpc/react";

type Delivery = RouterOutputs["admin"]["deliveries"]["get"];

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

/** Feedback about a retry, shown until the delivery moves on (its status or generation changes). */
export interface RetryFeedback {
  text: string;
  ok: boolean;
  deliveryId: string;
  status: string;
  generation: number;
}

export function visibleFeedback(
  feedback: RetryFeedback | null,
  deliveries: { id: string; status: string; generation: number }[],
): RetryFeedback | null {
  if (!feedback?.ok) return feedback;
  const delivery = deliveries.find((d) => d.id === feedback.deliveryId);
  return delivery && delivery.status === feedback.status && delivery.generation === feedback.generation
    ? feedback
    : null;
}

/** Retry one failed or expired delivery; shows when a retry is already waiting. */
export function RetryDeliveryButton({
  delivery,
  onDone,
}: {
  delivery: { id: string; status: string; generation: number; retryable: boolean; retryRequestedAt: Date | null };
  onDone?: (feedback: RetryFeedback) => void;
}) {
  const utils = api.useUtils();
  const about = { deliveryId: delivery.id, status: delivery.status, generation: delivery.generation };
  const retry = api.admin.deliveries.retry.useMutation({
    onSuccess: async () => {
      onDone?.({ ...about, ok: true, text: "Retry requested. The delivery function will pick it up in a moment." });
      await Promise.all([
        utils.admin.deliveries.get.invalidate({ id: delivery.id }),
        utils.admin.changes.get.invalidate(),
        utils.admin.deliveries.list.invalidate(),
      ]);
    },
    onError: (error) => onDone?.({ ...about, ok: false, text: `Could not retry: ${errorMessage(error)}` }),
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
