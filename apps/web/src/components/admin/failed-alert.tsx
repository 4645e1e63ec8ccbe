import Link from "next/link";

/** Deliveries that failed for good and wait for an admin: shown above everything else on /admin. */
export function FailedAlert({ count }: { count: number }) {
  if (count === 0) return null;
  const what = count === 1 ? "delivery has" : "deliveries have";
  return (
    <div className="alert alert--error failed-alert" data-testid="failed-alert">
      <p>
        <span className="badge badge--failed">
          <span aria-hidden="true">✕ </span>
          {count.toLocaleString()} failed
        </span>{" "}
        {count.toLocaleString()} {what} failed for good and no retry is waiting: nobody was notified.
      </p>
      <Link href="/admin?status=failed" className="button button--small button--secondary">
        Show failed deliveries
      </Link>
    </div>
  );
}
