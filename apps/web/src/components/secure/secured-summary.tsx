import Link from "next/link";
import { listFields } from "~/lib/format";

interface Secured {
  restoredFields: string[];
  usernameNotRestored: string | null;
  deviceRemoved: boolean;
  sessionsEnded: number;
}

/** What "this wasn't me" did, step by step, and what the user does next. */
export function SecuredSummary({ secured, resetEmailRequested }: { secured: Secured; resetEmailRequested: boolean }) {
  return (
    <section className="card" aria-labelledby="secured-title" role="status">
      <h2 id="secured-title" className="card__title">
        Your account is secured
      </h2>
      <ul>
        {secured.restoredFields.length > 0 && (
          <li>
            Your {listFields(secured.restoredFields)} {secured.restoredFields.length > 1 ? "are" : "is"} back as it was.
          </li>
        )}
        {secured.usernameNotRestored && (
          <li>
            Your old username “{secured.usernameNotRestored}” could not be restored: someone else has taken it since.
            Everything else is restored.
          </li>
        )}
        {secured.deviceRemoved && <li>The device that was added no longer receives your notifications.</li>}
        <li>
          {secured.sessionsEnded === 1 ? "1 session was" : `${secured.sessionsEnded} sessions were`} ended: every
          browser and API token is signed out.
        </li>
        <li>
          {resetEmailRequested ? (
            "We emailed you a link to choose a new password. It works for one hour."
          ) : (
            <>
              We could not send the password email just now: <Link href="/forgot-password">ask for a new link</Link>.
            </>
          )}
        </li>
      </ul>
    </section>
  );
}
