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
        Profile changes, password changes and resets, new devices and role changes, newest first. Each one was also sent
        to you; if you don&apos;t recognise one, use &ldquo;This wasn&apos;t me&rdquo; in its email or contact your
        administrator right away.
      </p>
      {activity.isPending ? (
        <p className="muted">Loading activity…</p>
      ) : activity.isError ? (
        <p className="alert alert--error">Could not load your activity: {activity.error.message}</p>
      ) : activity.data.length === 0 ? (
        <p className="empty">
          No activity yet. When you change your username, phone number or password, it shows up here.
        </p>
      ) : (
        <ol className="activity" role="list">
          {activity.data.map((entry) => (
            <li key={entry.id} className="activity__item">
              <span className="activity__dot" aria-hidden="true" />
              <div>
                <p className="activity__title">
                  {entry.title}
                  {entry.reportedAt && <span className="activity__flag"> · reported as not you</span>}
                </p>
                {entry.changedFields.length > 0 && (
                  <ul className="activity__changes" role="list">
                    {Object.entries(entry.changes).map(([field, change]) => (
                      <li key={field}>{capitalize(describeFieldChange(field, change))}</li>
                    ))}
                  </ul>
                )}
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
