"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { authClient } from "@acme/auth/client";
import { Field } from "~/components/ui/field";
import { PasswordField } from "~/components/ui/password-field";
import { describeAuthError, type AuthFailure } from "./auth-errors";

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<AuthFailure | null>(null);
  const inFlight = useRef(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    setPending(true);
    setFailure(null);
    try {
      const { error } = await authClient.signIn.email({ email: email.trim(), password });
      if (error) {
        setFailure(describeAuthError(error));
        return;
      }
      router.replace(next);
      router.refresh();
    } catch {
      setFailure({ field: null, message: "Could not reach the server. Check your connection and try again." });
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-describedby={failure && !failure.field ? "sign-in-error" : undefined}>
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
      <button type="submit" className="button button--primary button--block" disabled={pending || !email || !password} aria-busy={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
