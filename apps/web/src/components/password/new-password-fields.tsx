"use client";

import { useState } from "react";
import { PasswordField } from "~/components/ui/password-field";

// better-auth's limits (packages/auth): checked here first so the form can say which field is wrong.
const MIN_LENGTH = 8;
const MAX_LENGTH = 128;

/** A new password typed twice, with the rule checked before anything is sent. */
export function useNewPassword() {
  const [value, setValue] = useState("");
  const [repeat, setRepeat] = useState("");
  const [errors, setErrors] = useState<{ value: string | null; repeat: string | null }>({ value: null, repeat: null });

  function validate(): boolean {
    const next = {
      value:
        value.length < MIN_LENGTH
          ? `Use at least ${MIN_LENGTH} characters.`
          : value.length > MAX_LENGTH
            ? `Use at most ${MAX_LENGTH} characters.`
            : null,
      repeat: value !== repeat ? "The two passwords are not the same." : null,
    };
    setErrors(next);
    if (next.value || next.repeat) document.getElementById(next.value ? "new-password" : "repeat-password")?.focus();
    return !next.value && !next.repeat;
  }

  function reset() {
    setValue("");
    setRepeat("");
    setErrors({ value: null, repeat: null });
  }

  return { value, setValue, repeat, setRepeat, errors, validate, reset };
}

export function NewPasswordFields({ password }: { password: ReturnType<typeof useNewPassword> }) {
  return (
    <>
      <PasswordField
        id="new-password"
        label="New password"
        autoComplete="new-password"
        required
        hint={`At least ${MIN_LENGTH} characters.`}
        value={password.value}
        onChange={(e) => password.setValue(e.target.value)}
        error={password.errors.value}
      />
      <PasswordField
        id="repeat-password"
        label="Repeat the new password"
        autoComplete="new-password"
        required
        value={password.repeat}
        onChange={(e) => password.setRepeat(e.target.value)}
        error={password.errors.repeat}
      />
    </>
  );
}
