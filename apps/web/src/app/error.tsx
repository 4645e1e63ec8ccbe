"use client";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="page page--narrow">
      <div className="card status-page" role="alert">
        <h1>Something went wrong</h1>
        <p className="muted">{error.digest ? `The server hit an error (reference ${error.digest}).` : error.message}</p>
        <p>
          <button type="button" className="button button--primary" onClick={reset}>
            Try again
          </button>
        </p>
      </div>
    </div>
  );
}
