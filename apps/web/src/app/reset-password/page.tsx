import type { Metadata } from "next";
import { ResetPasswordForm } from "~/components/password/reset-password-form";

// The token is in the URL fragment (`/reset-password#<token>`): never sent to the server, never logged.
export const metadata: Metadata = {
  title: "Choose a new password",
  robots: { index: false, follow: false },
  referrer: "no-referrer",
};

export default function ResetPasswordPage() {
  return (
    <div className="page page--narrow">
      <div className="card auth-card">
        <h1 className="auth-card__title">Choose a new password</h1>
        <ResetPasswordForm />
      </div>
    </div>
  );
}
