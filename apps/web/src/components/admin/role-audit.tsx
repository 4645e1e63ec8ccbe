"use client";

import { formatDateTime } from "~/lib/format";
import { api } from "~/trpc/react";

const SOURCE_LABEL = { admin_page: "admin page", command_line: "command line" } as const;

/** Who granted or revoked the admin role, when, and from where. */
export function RoleAudit() {
  const audit = api.admin.users.audit.useQuery();
  return (
    <section className="card role-audit" aria-labelledby="role-audit-title">
      <h2 id="role-audit-title" className="card__title">
        Admin role changes
      </h2>
      {audit.isPending ? (
        <p className="muted">Loading…</p>
      ) : audit.isError ? (
        <p className="alert alert--error" role="alert">
          {audit.error.message}
        </p>
      ) : audit.data.length === 0 ? (
        <p className="muted">No admin role was granted or revoked yet.</p>
      ) : (
        <ol className="role-audit__list" role="list" aria-label="Admin role changes">
          {audit.data.map((entry) => (
            <li key={entry.id} className="role-audit__entry" data-testid="role-audit-entry">
              <p>
                <strong>{entry.actorEmail ?? "The command line"}</strong>{" "}
                {entry.action === "granted" ? "granted the admin role to" : "revoked the admin role of"}{" "}
                <strong>{entry.targetEmail}</strong>
              </p>
              <p className="subtle">
                <time dateTime={entry.createdAt.toISOString()}>{formatDateTime(entry.createdAt)}</time> · via{" "}
                {SOURCE_LABEL[entry.source]}
                {entry.ipAddress ? ` · from ${entry.ipAddress}` : ""}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
