import type { Metadata } from "next";
import { RoleAudit } from "~/components/admin/role-audit";
import { UsersView } from "~/components/admin/users-view";

export const metadata: Metadata = { title: "Users" };

export default function AdminUsersPage() {
  return (
    <>
      <header className="page-header">
        <h1>Users</h1>
        <p className="muted">
          Find an account and give or take the admin role. Every change is recorded below; the last admin cannot be
          removed.
        </p>
      </header>
      <UsersView />
      <RoleAudit />
    </>
  );
}
