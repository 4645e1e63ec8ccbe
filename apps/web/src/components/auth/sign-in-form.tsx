"use client";

import { useState, type FormEvent } from "react";
import { authClient } from "@acme/auth/client";
import { EmailField } from "~/components/ui/email-field";
import { PasswordField } from "~/components/ui/password-field";
import { useAuthSubmit } from "./use-auth-submit";

export function SignInForm({ next, appUrl }: { next: string; appUrl: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const { pending, failure, submit } = useAuthSubmit(next, appUrl);
  const missing = { email: submitted && !email.trim(), password: submitted && !password };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(true);
    if (!email.trim() || !password) {
      document.getElementById(email.trim() ? "password" : "email")?.focus();
      return;
    }
    await submit(() => authClient.signIn.email({ email: email.trim(), password }));
  }

  return (
    <form
      className="form"
      onSubmit={onSubmit}
      noValidate
      aria-describedby={failure && !failure.field ? "sign-in-error" : undefined}
    >
      {failure && !failure.field && (
        <p id="sign-in-error" className="alert alert--error" role="alert">
          {failure.message}
        </p>
      )}
      <EmailField
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={missing.email ? "Enter your email address." : failure?.field === "email" ? failure.message : null}
      />
      <PasswordField
        id="password"
        label="Password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={missing.password ? "Enter your password." : failure?.field === "password" ? failure.message : null}
      />
      <button
        type="submit"
        className="button button--primary button--block"
        disabled={pending}
        aria-busy={pending}
        suppressHydrationWarning
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
