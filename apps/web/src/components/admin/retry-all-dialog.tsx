"use client";

import { useEffect, useRef } from "react";
import type { RouterInputs } from "@acme/api";
import { api } from "~/trpc/react";

type RetryMatchingInput = RouterInputs["admin"]["deliveries"]["retryMatching"];

/**
 * Confirms "retry all" with the numbers: how many deliveries match, how many this click queues.
 * A native modal <dialog>: focus is trapped and restored, Escape cancels.
 */
export function RetryAllDialog({
  open,
  input,
  what,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  input: RetryMatchingInput;
  /** "failed" or "expired". */
  what: string;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const preview = api.admin.deliveries.retryPreview.useQuery(input, { enabled: open, staleTime: 0 });
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  const p = preview.data;
  const toQueue = p ? p.batch - p.alreadyRequested : 0;
  const plural = (n: number) => (n === 1 ? "delivery" : "deliveries");
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="retry-all-title"
      aria-describedby="retry-all-body"
      onCancel={onCancel}
      onClose={() => open && onCancel()}
    >
      <h2 id="retry-all-title" className="dialog__title">
        Retry {what} deliveries?
      </h2>
      <div id="retry-all-body" className="dialog__body" aria-live="polite">
        {preview.isPending ? (
          <p className="muted">Counting matching deliveries…</p>
        ) : preview.isError ? (
          <p className="alert alert--error">Could not count them: {preview.error.message}</p>
        ) : p!.matching === 0 ? (
          <p>No {what} deliveries match the current filters.</p>
        ) : (
          <>
            <p>
              <strong>
                {p!.matching.toLocaleString()}
                {p!.matchingCapped ? "+" : ""} {what} {plural(p!.matching)}
              </strong>{" "}
              {p!.matching === 1 && !p!.matchingCapped ? "matches" : "match"} the current filters.
            </p>
            <p>
              This queues a new try for <strong>{toQueue.toLocaleString()}</strong> of them
              {p!.matching > p!.limit ? ` (the newest ${p!.limit}; retry again for the next batch)` : ""}.
              {p!.alreadyRequested > 0 && ` ${p!.alreadyRequested} already have a retry waiting.`}
            </p>
          </>
        )}
      </div>
      <div className="dialog__actions">
        <button type="button" className="button button--ghost" onClick={onCancel} autoFocus>
          Cancel
        </button>
        <button type="button" className="button button--primary" disabled={!p || toQueue === 0} onClick={onConfirm}>
          {p && toQueue > 0 ? `Retry ${toQueue.toLocaleString()} ${plural(toQueue)}` : "Retry"}
        </button>
      </div>
    </dialog>
  );
}
