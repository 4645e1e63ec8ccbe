"use client";

import Link from "next/link";
import { SecureLinkEvent } from "./secure-link-event";
import { SecuredSummary } from "./secured-summary";
import { useSecureLink } from "./use-secure-link";

/** The page behind a notification's "this wasn't me" link. */
export function SecureLinkView() {
  const { token, view, confirm, report, answer, busy } = useSecureLink();

  if (token === null) return <Problem title="This link is incomplete">{MISSING_TOKEN}</Problem>;
  if (view.isError && !view.data) return <Problem title="This link cannot be used">{view.error.message}</Problem>;
  if (!view.data) return <p className="muted card">Checking your link…</p>;

  const { state, event, expiresAt, answeredAt } = view.data;
  return (
    <div className="stack">
      <section className="card" aria-labelledby="secure-title">
        <p className="eyebrow">Account security</p>
        <h1 id="secure-title">{headingFor(state)}</h1>
        <SecureLinkEvent event={event} />
        {state === "open" && (
          <>
            <p>
              Was this you? If not, we undo it, sign everyone out of your account (browsers and API tokens) and email
              you a link to choose a new password. This link works once, until{" "}
              <time dateTime={expiresAt.toISOString()}>{expiresAt.toLocaleString()}</time>.
            </p>
            {(confirm.isError || report.isError) && (
              <p className="alert alert--error" role="alert">
                {(confirm.error ?? report.error)?.message}
              </p>
            )}
            <div className="secure-actions">
              <button
                type="button"
                className="button button--danger"
                disabled={busy}
                aria-busy={report.isPending}
                onClick={() => answer("report")}
              >
                {report.isPending ? "Securing your account…" : "This wasn’t me — secure my account"}
              </button>
              <button
                type="button"
                className="button button--secondary"
                disabled={busy}
                onClick={() => answer("confirm")}
              >
                This was me
              </button>
            </div>
          </>
        )}
        {state === "confirmed" && (
          <p className="alert alert--success" role="status">
            Thanks, noted{answeredAt ? ` on ${answeredAt.toLocaleString()}` : ""}. Nothing else changes; this link is
            now used up.
          </p>
        )}
        {state === "reported" && !report.data?.secured && (
          <p className="alert alert--info" role="status">
            This change was reported{answeredAt ? ` on ${answeredAt.toLocaleString()}` : ""} and your account was
            secured then. This link is used up. <Link href="/forgot-password">Need a new password link?</Link>
          </p>
        )}
        {state === "expired" && (
          <p className="alert alert--warning" role="status">
            This link has expired. If you did not make this change,{" "}
            <Link href="/forgot-password">reset your password</Link> and check your <Link href="/profile">profile</Link>
            .
          </p>
        )}
      </section>
      {report.data?.secured && (
        <SecuredSummary secured={report.data.secured} resetEmailRequested={report.data.resetEmailRequested} />
      )}
    </div>
  );
}

const MISSING_TOKEN =
  "Open the link exactly as it appears in your email or notification; part of it seems to be missing.";

function headingFor(state: "open" | "confirmed" | "reported" | "expired"): string {
  if (state === "open") return "Was this you?";
  if (state === "confirmed") return "You confirmed this change";
  if (state === "reported") return "You reported this change";
  return "This link has expired";
}

function Problem({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="card" aria-labelledby="secure-title">
      <h1 id="secure-title">{title}</h1>
      <p className="alert alert--error" role="alert">
        {children}
      </p>
      <p>
        You can always <Link href="/forgot-password">reset your password</Link> or{" "}
        <Link href="/support">contact support</Link>.
      </p>
    </section>
  );
}
