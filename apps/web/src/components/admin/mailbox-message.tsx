"use client";

import { useEffect, useRef } from "react";
import { formatDateTime } from "~/lib/format";
import { api } from "~/trpc/react";

/** One email of the local mailbox, as sent: headers, the HTML in a sandboxed frame, the text. */
export function MailboxMessage({ id }: { id: string }) {
  const email = api.admin.mailbox.get.useQuery({ id }, { retry: false, staleTime: Infinity });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const loadedId = email.data?.id;
  useEffect(() => {
    // Opened from the list: move focus (and, on phones, the view) to the message.
    if (loadedId && document.activeElement?.closest(".inbox")) headingRef.current?.focus();
  }, [loadedId]);
  if (email.isPending) {
    return (
      <>
        <h2 id="reader-title" className="card__title">
          Message
        </h2>
        <p className="muted">Opening…</p>
      </>
    );
  }
  if (email.isError) {
    return (
      <>
        <h2 id="reader-title" className="card__title">
          Message
        </h2>
        <p className="alert alert--error" role="alert">
          {email.error.message}
        </p>
      </>
    );
  }
  const e = email.data;
  return (
    <article className="stack">
      <h2 id="reader-title" className="card__title" ref={headingRef} tabIndex={-1}>
        {e.subject}
      </h2>
      <dl className="facts facts--compact">
        <div>
          <dt>From</dt>
          <dd>{e.from}</dd>
        </div>
        <div>
          <dt>To</dt>
          <dd className="break">{e.to.join(", ")}</dd>
        </div>
        <div>
          <dt>Received</dt>
          <dd>{formatDateTime(e.createdAt)}</dd>
        </div>
      </dl>
      {e.html ? (
        <iframe className="email-frame" sandbox="" srcDoc={e.html} title={`Email: ${e.subject}`} />
      ) : (
        <p className="muted">This email has no HTML version.</p>
      )}
      {e.text && (
        <details className="disclosure" open={!e.html}>
          <summary>Plain-text version</summary>
          <pre className="pre">{e.text}</pre>
        </details>
      )}
    </article>
  );
}
