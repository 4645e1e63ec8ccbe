"use client";

import { capitalize, describeFieldChange, formatDateTime, formatRelative } from "~/lib/format";
import { describeUserAgent } from "~/lib/user-agent";
import { api } from "~/trpc/react";

export function SecurityActivity() {
  const activity = api.user.activity.useQuery({ limit: 10 });
  return (
    <section className="card" aria-labelledby="activity-title">
      <h2 id="activity-title" className="card__title">
        Recent security activity
      </h2>
      <p className="muted">
        Changes to your profile, newest first. If you don&apos;t recognise a change, contact your administrator right
        away.
      </p>
      {activity.isPending ? (
        <p className="muted">Loading activity…</p>
      ) : activity.isError ? (
        <p className="alert alert--error">Could not load your activity: {activity.error.message}</p>
      ) : activity.data.length === 0 ? (
        <p className="empty">No changes yet. When you change your username or phone number, it shows up here.</p>
      ) : (
        <ol className="activity" role="list">
          {activity.data.map((entry) => (
            <li key={entry.id} className="activity__item">
              <span className="activity__dot" aria-hidden="true" />
              <div>
                <ul className="activity__changes" role="list">
                  {Object.entries(entry.changes).map(([field, change]) => (
                    <li key={field}>{capitalize(describeFieldChange(field, change))}</li>
                  ))}
                </ul>
                <p className="activity__meta">
                  <time dateTime={entry.createdAt.toISOString()} title={formatDateTime(entry.createdAt)}>
                    {formatRelative(entry.createdAt)}
                  </time>
                  {" · "}
                  {describeUserAgent(entry.userAgent)}
                  {entry.ipAddress && <> · IP {entry.ipAddress}</>}
                </p>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
