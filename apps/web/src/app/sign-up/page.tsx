import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignUpForm } from "~/components/auth/sign-up-form";
import { safeNextPath } from "~/lib/redirects";
import { getCurrentSession } from "~/lib/session";
import { getServices } from "~/server/services";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const next = safeNextPath((await searchParams).next);
  if (await getCurrentSession()) redirect(next);
  return (
    <div className="page page--narrow">
      <div className="card auth-card">
        <h1 className="auth-card__title">Create your account</h1>
        <p className="muted">Pick a username — you can change it later, and we&apos;ll tell you when you do.</p>
        <SignUpForm next={next} appUrl={getServices().config.appUrl} />
        <p className="auth-card__switch">
          Already have an account?{" "}
          <Link href={`/sign-in${next !== "/profile" ? `?next=${encodeURIComponent(next)}` : ""}`}>Sign in</Link>
        </p>
      </div>
    </div>
  );
}
