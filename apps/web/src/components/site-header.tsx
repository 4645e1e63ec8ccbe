import Link from "next/link";
import { getCurrentSession } from "~/lib/session";
import { NavLink } from "./nav-link";
import { SignOutButton } from "./sign-out-button";

export async function SiteHeader() {
  const session = await getCurrentSession();
  const user = session?.user;
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link href="/" className="brand">
          <span className="brand__mark" aria-hidden="true">
            ◉
          </span>
          Profile Notify
        </Link>
        <nav aria-label="Main" className="site-nav">
          {user ? (
            <>
              <NavLink href="/profile">Profile</NavLink>
              {user.role === "admin" && <NavLink href="/admin">Admin</NavLink>}
            </>
          ) : null}
        </nav>
        <div className="site-header__account">
          {user ? (
            <>
              <span className="signed-in-as">
                <span className="visually-hidden">Signed in as </span>
                <span className="avatar" aria-hidden="true">
                  {user.username.slice(0, 1).toUpperCase()}
                </span>
                <span className="signed-in-as__name">{user.username}</span>
              </span>
              <SignOutButton />
            </>
          ) : (
            <>
              <Link href="/sign-in" className="button button--ghost button--small">
                Sign in
              </Link>
              <Link href="/sign-up" className="button button--primary button--small">
                Create account
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
