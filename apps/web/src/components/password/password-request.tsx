"use client";

// What the password forms share: one way to call better-auth that never throws, and one submit button.

export interface AuthAnswer {
  error: { code?: string; message?: string } | null;
}

const UNREACHABLE = "Could not reach the server. Check your connection and try again.";

/** better-auth's client answer, with a network failure turned into an error like any other. */
export function passwordRequest(call: () => Promise<AuthAnswer>): Promise<AuthAnswer> {
  return call().catch(() => ({ error: { message: UNREACHABLE } }));
}

export function SubmitButton({
  pending,
  label,
  pendingLabel,
  block = false,
}: {
  pending: boolean;
  label: string;
  pendingLabel: string;
  block?: boolean;
}) {
  return (
    <button
      type="submit"
      className={`button button--primary${block ? " button--block" : ""}`}
      disabled={pending}
      aria-busy={pending}
    >
      {pending ? pendingLabel : label}
    </button>
  );
}
