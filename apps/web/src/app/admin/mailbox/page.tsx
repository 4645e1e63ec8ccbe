import type { Metadata } from "next";
import { Suspense } from "react";
import { MailboxView } from "~/components/admin/mailbox-view";

export const metadata: Metadata = { title: "Mailbox" };

export default function MailboxPage() {
  return (
    <>
      <header className="page-header">
        <h1>Mailbox</h1>
        <p className="muted">Emails caught by the local mailbox, exactly as they were sent.</p>
      </header>
      <Suspense fallback={<p className="muted">Loading mailbox…</p>}>
        <MailboxView />
      </Suspense>
    </>
  );
}
