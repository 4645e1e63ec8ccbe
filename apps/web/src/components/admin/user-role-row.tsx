"use client";

import { EmailAddress } from "~/components/ui/email-address";

interface UserRow {
  id: string;
  email: string;
  username: string;
  role: "user" | "admin";
}

export function UserRoleRow({
  user,
  isViewer,
  lastAdmin,
  busy,
  onChange,
}: {
  user: UserRow;
  isViewer: boolean;
  lastAdmin: boolean;
  busy: boolean;
  onChange: (admin: boolean) => void;
}) {
  const admin = user.role === "admin";
  const name = `${user.username}${isViewer ? " (you)" : ""}`;
  return (
    <li className="user-row" data-testid="user-row">
      <div className="user-row__who">
        <span className="user-row__name">{name}</span>
        <EmailAddress address={user.email} />
      </div>
      <span className={`badge ${admin ? "badge--sent" : "badge--skipped"}`}>{admin ? "Admin" : "User"}</span>
      <div className="user-row__action">
        {admin ? (
          <button
            type="button"
            className="button button--small button--secondary"
            disabled={busy || lastAdmin}
            aria-busy={busy}
            aria-label={`Remove admin: ${user.email}`}
            aria-describedby={lastAdmin ? `last-admin-${user.id}` : undefined}
            onClick={() => onChange(false)}
          >
            Remove admin
          </button>
        ) : (
          <button
            type="button"
            className="button button--small button--primary"
            disabled={busy}
            aria-busy={busy}
            aria-label={`Make admin: ${user.email}`}
            onClick={() => onChange(true)}
          >
            Make admin
          </button>
        )}
        {lastAdmin && (
          <span id={`last-admin-${user.id}`} className="subtle">
            The last admin
          </span>
        )}
      </div>
    </li>
  );
}
