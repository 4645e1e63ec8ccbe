import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "~/components/auth/sign-in-form";
import { safeNextPath } from "~/lib/redirects";
import { getCurrentSession } from "~/lib/session";
import { getServices } from "~/server/services";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const next = safeNextPath((await searchParams).next);
  if (await getCurrentSession()) redirect(next);
  return (
    <div className="page page--narrow">
      <div className="card auth-card">
        <h1 className="auth-card__title">Welcome back</h1>
        <p className="muted">Sign in to manage your profile and notifications.</p>
        <SignInForm next={next} appUrl={getServices().config.appUrl} />
        <p className="auth-card__switch">
          <Link href="/forgot-password">Forgot password?</Link>
        </p>
        <p className="auth-card__switch">
          New here?{" "}
          <Link href={`/sign-up${next !== "/profile" ? `?next=${encodeURIComponent(next)}` : ""}`}>
            Create an account
          </Link>
        </p>
      </div>
    </div>
  );
}
