import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "~/components/password/forgot-password-form";

export const metadata: Metadata = { title: "Forgot your password?" };

export default function ForgotPasswordPage() {
  return (
    <div className="page page--narrow">
      <div className="card auth-card">
        <h1 className="auth-card__title">Forgot your password?</h1>
        <p className="muted">
          Enter your account&apos;s email address and we&apos;ll email you a link to choose a new one.
        </p>
        <ForgotPasswordForm />
        <p className="auth-card__switch">
          Remembered it? <Link href="/sign-in">Sign in</Link>
        </p>
      </div>
    </div>
  );
}
