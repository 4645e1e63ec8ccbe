import Link from "next/link";

/** What forbidden() renders, with HTTP 403: a signed-in user opened a page for admins. */
export default function Forbidden() {
  return (
    <div className="page page--narrow">
      <title>Admins only · Profile Notify</title>
      <div className="card status-page">
        <p className="status-page__code" aria-hidden="true">
          403
        </p>
        <h1>Admins only</h1>
        <p className="muted">
          Your account can&apos;t open the admin console. If you think it should, ask an administrator to give you the
          admin role (on the Users page of the admin console).
        </p>
        <p>
          <Link href="/profile" className="button button--primary">
            Back to your profile
          </Link>
        </p>
      </div>
    </div>
  );
}
