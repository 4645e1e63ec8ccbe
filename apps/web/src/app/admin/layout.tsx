import type { Metadata } from "next";
import { forbidden, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { NavLink } from "~/components/nav-link";
import { getCurrentSession } from "~/lib/session";
import "~/styles/admin-history.css";
import "~/styles/admin-detail.css";
import "~/styles/admin-mailbox.css";
import "~/styles/admin-users.css";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin · Profile Notify" } };

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in?next=/admin");
  // 403 at the address asked for, so the status and the page agree.
  if (session.user.role !== "admin") forbidden();
  return (
    <div className="page page--wide">
      <nav aria-label="Admin" className="subnav">
        <NavLink href="/admin" exact also={["/admin/deliveries", "/admin/changes"]}>
          Deliveries
        </NavLink>
        <NavLink href="/admin/mailbox">Mailbox</NavLink>
        <NavLink href="/admin/users">Users</NavLink>
      </nav>
      {children}
    </div>
  );
}
