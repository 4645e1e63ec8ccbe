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
    | {
        code?: string;
        fieldErrors?: Record<string, string[]> | null;
        formErrors?: string[] | null;
        retryAfterSeconds?: number | null;
      }
    | undefined;
  if (data?.code === "TOO_MANY_REQUESTS") return { fields: {}, form: tooManyMessage(data.retryAfterSeconds ?? null) };
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

/** A limit reached, said as a person would: nothing is wrong, just wait a little. */
export function tooManyMessage(retryAfterSeconds: number | null): string {
  const wait =
    retryAfterSeconds === null
      ? "in a little while"
      : retryAfterSeconds < 60
        ? `in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}`
        : `in about ${Math.ceil(retryAfterSeconds / 60)} minute${retryAfterSeconds > 60 ? "s" : ""}`;
  return `You have saved several changes in a short time. Nothing was lost — please try again ${wait}.`;
}
