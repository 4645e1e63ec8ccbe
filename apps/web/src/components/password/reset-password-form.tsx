"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { authClient } from "@acme/auth/client";
import { useFragmentToken } from "~/lib/fragment-token";
import { NewPasswordFields, useNewPassword } from "./new-password-fields";
import { passwordRequest, SubmitButton } from "./password-request";

/** Sets a new password with the token from the email's link (in this page's fragment). */
export function ResetPasswordForm() {
  const token = useFragmentToken();
  const password = useNewPassword();
  const [state, setState] = useState<"idle" | "pending" | "done">("idle");
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!token || !password.validate()) return;
    setState("pending");
    setError(null);
    const result = await passwordRequest(() => authClient.resetPassword({ newPassword: password.value, token }));
    if (result.error) {
      setState("idle");
      setError(
        result.error.code === "INVALID_TOKEN"
          ? "This link was already used or has expired. Ask for a new one."
          : (result.error.message ?? "Could not set the password. Try again."),
      );
      return;
    }
    setState("done");
  }

  if (token === undefined) return <p className="muted">Checking your link…</p>;
  if (token === null)
    return (
      <p className="alert alert--error" role="alert">
        This link is incomplete. Open it exactly as it appears in the email, or{" "}
        <Link href="/forgot-password">ask for a new one</Link>.
      </p>
    );
  if (state === "done")
    return (
      <div className="stack">
        <p className="alert alert--success" role="status">
          Your password has been changed and every session of your account has been signed out.
        </p>
        <Link className="button button--primary button--block" href="/sign-in">
          Sign in with your new password
        </Link>
      </div>
    );
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      {error && (
        <p className="alert alert--error" role="alert">
          {error} <Link href="/forgot-password">Ask for a new link</Link>
        </p>
      )}
      <NewPasswordFields password={password} />
      <SubmitButton block pending={state === "pending"} label="Set new password" pendingLabel="Saving…" />
    </form>
  );
}
