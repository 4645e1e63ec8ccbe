"use client";

import { useState, type FormEvent } from "react";
import { authClient } from "@acme/auth/client";
import { NewPasswordFields, useNewPassword } from "~/components/password/new-password-fields";
import { passwordRequest, SubmitButton } from "~/components/password/password-request";
import { PasswordField } from "~/components/ui/password-field";
import { api } from "~/trpc/react";

/** Change the password knowing the current one; every other session is signed out. */
export function ChangePassword() {
  const [current, setCurrent] = useState("");
  const [currentError, setCurrentError] = useState<string | null>(null);
  const password = useNewPassword();
  const [state, setState] = useState<"idle" | "pending" | "done">("idle");
  const [error, setError] = useState<string | null>(null);
  const utils = api.useUtils();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCurrentError(current ? null : "Enter your current password.");
    if (!password.validate() || !current) return;
    setState("pending");
    setError(null);
    const result = await passwordRequest(() =>
      authClient.changePassword({ currentPassword: current, newPassword: password.value, revokeOtherSessions: true }),
    );
    if (result.error) {
      setState("idle");
      if (result.error.code === "INVALID_PASSWORD") setCurrentError("That is not your current password.");
      else setError(result.error.message ?? "Could not change the password. Try again.");
      return;
    }
    setCurrent("");
    password.reset();
    setState("done");
    void utils.user.activity.invalidate();
  }

  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title" className="card__title">
        Password
      </h2>
      <form className="form" onSubmit={onSubmit} noValidate>
        {state === "done" && (
          <p className="alert alert--success" role="status">
            Password changed. Every other browser and API token was signed out; this one stays signed in.
          </p>
        )}
        {error && (
          <p className="alert alert--error" role="alert">
            {error}
          </p>
        )}
        <PasswordField
          id="current-password"
          label="Current password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={currentError}
        />
        <NewPasswordFields password={password} />
        <SubmitButton pending={state === "pending"} label="Change password" pendingLabel="Changing…" />
      </form>
    </section>
  );
}
