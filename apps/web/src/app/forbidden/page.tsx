import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Admins only" };

/** Where non-admins land when they open /admin. */
export default function ForbiddenPage() {
  return (
    <div className="page page--narrow">
      <div className="card status-page">
        <p className="status-page__code" aria-hidden="true">
          403
        </p>
        <h1>Admins only</h1>
        <p className="muted">
          Your account can&apos;t open the admin console. If you think it should, ask an administrator to give you the
          admin role.
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
