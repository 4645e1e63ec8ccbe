"use client";

import { useState, type FormEvent } from "react";
import { authClient } from "@acme/auth/client";
import { EmailField } from "~/components/ui/email-field";
import { passwordRequest, SubmitButton } from "./password-request";

/** Asks for a reset link; the answer is the same whether or not the address has an account. */
export function ForgotPasswordForm() {
  const [email, setEmail] = useState("");
  const [state, setState] = useState<"idle" | "pending" | "sent">("idle");
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!email.trim()) {
      setError("Enter your email address.");
      return;
    }
    setState("pending");
    setError(null);
    const result = await passwordRequest(() =>
      authClient.requestPasswordReset({ email: email.trim(), redirectTo: "/reset-password" }),
    );
    if (result.error) {
      setState("idle");
      setError(result.error.message ?? "Could not send the link. Try again.");
      return;
    }
    setState("sent");
  }

  if (state === "sent")
    return (
      <p className="alert alert--success" role="status">
        If an account uses {email.trim()}, a link to choose a new password is on its way. It works once, for one hour.
      </p>
    );
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <EmailField value={email} onChange={(e) => setEmail(e.target.value)} error={error} />
      <SubmitButton block pending={state === "pending"} label="Email me a reset link" pendingLabel="Sending…" />
    </form>
  );
}
