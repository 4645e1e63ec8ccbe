import type { InputHTMLAttributes, ReactNode } from "react";

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | null;
  /** Shown in place of the hint when the value is valid (e.g. "Saved as +1…"). */
  success?: ReactNode;
  trailing?: ReactNode;
}

/** A labelled input with hint and error text tied to it (aria-describedby, aria-invalid). */
export function Field({ id, label, hint, error, success, trailing, className, ...input }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = `${id}-error`;
  const successId = success ? `${id}-ok` : undefined;
  const describedBy =
    [error ? errorId : null, hintId, !error && successId ? successId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field--invalid" : ""}${className ? ` ${className}` : ""}`}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <div className="field__control">
        {/* Autofill (Edge, password managers) marks controls before React hydrates: not a mismatch of ours. */}
        <input
          id={id}
          className="input"
          suppressHydrationWarning
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...input}
        />
        {trailing}
      </div>
      {error ? (
        <p id={errorId} className="field__error">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : success ? (
        <p id={successId} className="field__success">
          <span aria-hidden="true">✓ </span>
          {success}
        </p>
      ) : null}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}
