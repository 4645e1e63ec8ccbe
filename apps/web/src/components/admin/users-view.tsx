"use client";

import { useDeferredValue, useState } from "react";
import { toFormErrors } from "~/lib/trpc-errors";
import { api } from "~/trpc/react";
import { UserRoleRow } from "./user-role-row";

/** Search accounts and grant or revoke the admin role. */
export function UsersView() {
  const [query, setQuery] = useState("");
  const deferredQuery = useDeferredValue(query.trim());
  const utils = api.useUtils();
  const list = api.admin.users.list.useQuery({ query: deferredQuery }, { placeholderData: (previous) => previous });
  const setRole = api.admin.users.setRole.useMutation({
    onSettled: () => Promise.all([utils.admin.users.list.invalidate(), utils.admin.users.audit.invalidate()]),
  });
  const data = list.data;

  return (
    <section className="card users" aria-labelledby="users-title">
      <h2 id="users-title" className="card__title">
        Accounts
      </h2>
      <label className="field users__search">
        <span className="field__label">Search by email or username</span>
        <input
          className="input"
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="name@example.com"
          autoComplete="off"
        />
      </label>
      {setRole.isError && (
        <p className="alert alert--error" role="alert">
          {toFormErrors(setRole.error).form ?? setRole.error.message}
        </p>
      )}
      {list.isPending ? (
        <p className="muted">Loading accounts…</p>
      ) : list.isError ? (
        <p className="alert alert--error" role="alert">
          {list.error.message}
        </p>
      ) : data!.users.length === 0 ? (
        <p className="muted">No account matches “{deferredQuery}”.</p>
      ) : (
        <>
          <ul className="users__list" role="list" aria-label="Accounts">
            {data!.users.map((user) => (
              <UserRoleRow
                key={user.id}
                user={user}
                isViewer={user.id === data!.viewerId}
                lastAdmin={user.role === "admin" && data!.adminCount <= 1}
                busy={setRole.isPending && setRole.variables.userId === user.id}
                onChange={(admin) => setRole.mutate({ userId: user.id, admin })}
              />
            ))}
          </ul>
          {data!.more && <p className="muted">More accounts match: narrow the search.</p>}
        </>
      )}
    </section>
  );
}
