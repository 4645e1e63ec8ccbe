import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { NavLink } from "~/components/nav-link";
import { getCurrentSession } from "~/lib/session";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin · Profile Notify" } };

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in?next=/admin");
  // A page of its own (not /admin with a 200) so the address bar and history say "forbidden".
  if (session.user.role !== "admin") redirect("/forbidden");
  return (
    <div className="page page--wide">
      <nav aria-label="Admin" className="subnav">
        <NavLink href="/admin" exact also={["/admin/deliveries", "/admin/changes"]}>
          Deliveries
        </NavLink>
        <NavLink href="/admin/mailbox">Mailbox</NavLink>
      </nav>
      {children}
    </div>
  );
}
