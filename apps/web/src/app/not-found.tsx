import Link from "next/link";

export default function NotFound() {
  return (
    <div className="page page--narrow">
      <div className="card status-page">
        <p className="status-page__code" aria-hidden="true">
          404
        </p>
        <h1>Page not found</h1>
        <p className="muted">That page doesn&apos;t exist, or it moved.</p>
        <p>
          <Link href="/" className="button button--primary">
            Go home
          </Link>
        </p>
      </div>
    </div>
  );
}
