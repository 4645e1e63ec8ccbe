"use client";

import { useState, type FormEvent } from "react";
import { authClient } from "@acme/auth/client";
import { Field } from "~/components/ui/field";
import { PasswordField } from "~/components/ui/password-field";
import { useAuthSubmit } from "./use-auth-submit";

export function SignInForm({ next }: { next: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { pending, failure, submit } = useAuthSubmit(next);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
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
      <Field
        id="email"
        label="Email"
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={failure?.field === "email" ? failure.message : null}
      />
      <PasswordField
        id="password"
        label="Password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={failure?.field === "password" ? failure.message : null}
      />
      <button
        type="submit"
        className="button button--primary button--block"
        disabled={pending || !email || !password}
        aria-busy={pending}
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
