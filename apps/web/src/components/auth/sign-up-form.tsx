"use client";

import { useState, type FormEvent } from "react";
import { authClient } from "@acme/auth/client";
import { USERNAME_RULE, usernameSchema } from "@acme/validators";
import { EmailField } from "~/components/ui/email-field";
import { Field } from "~/components/ui/field";
import { PasswordField } from "~/components/ui/password-field";
import { useAuthSubmit } from "./use-auth-submit";

const MIN_PASSWORD = 8;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FIELDS = ["email", "username", "password"] as const;
const REQUIRED = {
  email: "Enter your email address.",
  username: "Choose a username.",
  password: `Choose a password of at least ${MIN_PASSWORD} characters.`,
};

export function SignUpForm({ next, appUrl }: { next: string; appUrl: string }) {
  const [values, setValues] = useState({ email: "", username: "", password: "" });
  const [touched, setTouched] = useState({ email: false, username: false, password: false });
  // Empty fields are called out only once the person tried to submit.
  const [submitted, setSubmitted] = useState(false);
  const { pending, failure, setFailure, submit } = useAuthSubmit(next, appUrl);

  const usernameCheck = usernameSchema.safeParse(values.username);
  const localErrors = {
    email: values.email && !EMAIL_PATTERN.test(values.email.trim()) ? "Enter a valid email address." : null,
    username:
      values.username && !usernameCheck.success ? (usernameCheck.error.issues[0]?.message ?? "Invalid username") : null,
    password:
      values.password && values.password.length < MIN_PASSWORD
        ? `Use at least ${MIN_PASSWORD} characters (${values.password.length} so far).`
        : null,
  };
  const errorFor = (field: keyof typeof values) =>
    (failure?.field === field ? failure.message : null) ??
    (submitted && !values[field].trim() ? REQUIRED[field] : null) ??
    (touched[field] || values[field].length > 2 ? localErrors[field] : null);

  const set = (field: keyof typeof values) => (event: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [field]: event.target.value }));
    if (failure?.field === field) setFailure(null);
  };
  const touch = (field: keyof typeof values) => () => setTouched((t) => ({ ...t, [field]: true }));

  const ready =
    values.email &&
    values.username &&
    values.password &&
    !localErrors.email &&
    !localErrors.username &&
    !localErrors.password;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched({ email: true, username: true, password: true });
    setSubmitted(true);
    if (!ready) {
      // Take the person to the first field that needs them (its message is tied to it).
      const first = FIELDS.find((field) => !values[field].trim() || localErrors[field]);
      if (first) document.getElementById(first)?.focus();
      return;
    }
    const username = usernameCheck.success ? usernameCheck.data : values.username.trim();
    await submit(() =>
      authClient.signUp.email({ email: values.email.trim(), password: values.password, name: username, username }),
    );
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      {failure && !failure.field && (
        <p className="alert alert--error" role="alert">
          {failure.message}
        </p>
      )}
      <EmailField
        value={values.email}
        onChange={set("email")}
        onBlur={touch("email")}
        error={errorFor("email")}
        hint="We send a note here whenever your profile changes."
      />
      <Field
        id="username"
        label="Username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        maxLength={40}
        value={values.username}
        onChange={set("username")}
        onBlur={touch("username")}
        error={errorFor("username")}
        success={usernameCheck.success && failure?.field !== "username" ? "Looks good" : null}
        hint={USERNAME_RULE}
      />
      <PasswordField
        id="password"
        label="Password"
        autoComplete="new-password"
        required
        value={values.password}
        onChange={set("password")}
        onBlur={touch("password")}
        error={errorFor("password")}
        hint={`At least ${MIN_PASSWORD} characters.`}
      />
      <button
        type="submit"
        className="button button--primary button--block"
        disabled={pending}
        aria-busy={pending}
        suppressHydrationWarning
      >
        {pending ? "Creating your account…" : "Create account"}
      </button>
    </form>
  );
}
