import { TRPCClientError } from "@trpc/client";

export interface FormErrors {
  fields: Record<string, string | undefined>;
  form: string | null;
}

/** A tRPC error as form feedback: per-field messages (describeError's fieldErrors) and the rest. */
export function toFormErrors(error: unknown): FormErrors {
  if (!(error instanceof TRPCClientError))
    return { fields: {}, form: error instanceof Error ? error.message : "Something went wrong" };
  const data = error.data as
    { fieldErrors?: Record<string, string[]> | null; formErrors?: string[] | null } | undefined;
  const fields = Object.fromEntries(
    Object.entries(data?.fieldErrors ?? {}).map(([field, messages]) => [field, messages[0]]),
  );
  const formMessages = data?.formErrors?.filter(Boolean) ?? [];
  const form = formMessages.length ? formMessages.join(" ") : Object.keys(fields).length ? null : error.message;
  return { fields, form };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : "Something went wrong";
}
