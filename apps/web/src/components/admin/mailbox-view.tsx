"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { accountEventLabel } from "@acme/validators";
import { capitalize, formatShortDateTime, listFields } from "~/lib/format";
import { api } from "~/trpc/react";
import { MailboxMessage } from "./mailbox-message";

const PAGE_SIZE = 25;

export function MailboxView() {
  const pathname = usePathname();
  const selectedId = useSearchParams().get("id");
  const list = api.admin.mailbox.list.useInfiniteQuery(
    { limit: PAGE_SIZE },
    {
      getNextPageParam: (page) => (page.hasMore ? page.emails.at(-1)?.id : undefined),
      refetchInterval: 5_000,
      retry: false,
    },
  );
  const emails = list.data?.pages.flatMap((page) => page.emails) ?? [];
  const mode = list.data?.pages[0]?.mode;

  if (list.isPending) return <p className="muted">Loading mailbox…</p>;
  if (list.isError) {
    return (
      <p className="alert alert--error" role="alert">
        {list.error.message}
      </p>
    );
  }
  if (mode === "resend") {
    return (
      <div className="card empty">
        <p className="empty__title">The local mailbox is not in use.</p>
        <p className="muted">
          Email goes out through Resend (a real API key is configured). Look up sent messages in the Resend dashboard.
        </p>
      </div>
    );
  }
  if (mode === "unconfigured") {
    return (
      <div className="card empty">
        <p className="empty__title">No mailbox is configured.</p>
        <p className="muted">
          Set <code className="code">RESEND_BASE_URL</code> to the local mailbox (for example{" "}
          <code className="code">http://127.0.0.1:8025</code>) to read sent email here.
        </p>
      </div>
    );
  }

  return (
    <div className="mailbox">
      <section className="card mailbox__list" aria-labelledby="inbox-title">
        <h2 id="inbox-title" className="card__title">
          Inbox{" "}
          <span className="subtle">
            ({emails.length}
            {list.hasNextPage ? "+" : ""})
          </span>
        </h2>
        {list.data.pages[0]?.baseUrl && <p className="subtle">Local mailbox at {list.data.pages[0].baseUrl}</p>}
        {emails.length === 0 ? (
          <p className="muted">No email yet. Change a profile and the confirmation lands here.</p>
        ) : (
          <ul className="inbox" role="list">
            {emails.map((email) => (
              <li key={email.id}>
                <Link
                  href={`${pathname}?id=${encodeURIComponent(email.id)}`}
                  scroll={false}
                  className="inbox__item"
                  aria-current={email.id === selectedId ? "true" : undefined}
                >
                  <span className="inbox__subject">{email.subject}</span>
                  {email.change && (
                    <span className="inbox__change">
                      {email.change.changedFields.length > 0
                        ? `${capitalize(listFields(email.change.changedFields))} changed`
                        : capitalize(accountEventLabel(email.change.kind))}
                    </span>
                  )}
                  {email.preview && <span className="inbox__preview">{email.preview}</span>}
                  <span className="inbox__meta">
                    <span className="break">To {email.to.join(", ")}</span>
                    <time dateTime={email.createdAt.toISOString()}>{formatShortDateTime(email.createdAt)}</time>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
        {list.hasNextPage && (
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => list.fetchNextPage()}
            disabled={list.isFetchingNextPage}
          >
            {list.isFetchingNextPage ? "Loading…" : "Load older"}
          </button>
        )}
      </section>
      <section className="card mailbox__reader" aria-labelledby="reader-title">
        {selectedId ? (
          <MailboxMessage id={selectedId} />
        ) : (
          <>
            <h2 id="reader-title" className="card__title">
              Message
            </h2>
            <p className="muted">Choose an email to read it.</p>
          </>
        )}
      </section>
    </div>
  );
}
