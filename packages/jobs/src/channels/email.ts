import type { EmailContent } from "@acme/validators";
import type { JobDeps } from "../deps";
import type { SendResult } from "./result";

/** Sends through the Resend SDK: to Resend itself, or to the local mailbox in the embedded default. */
export async function sendProfileUpdatedEmail(
  deps: JobDeps,
  email: EmailContent,
  idempotencyKey: string,
): Promise<SendResult> {
  try {
    const { data, error, headers } = await deps.resend.emails.send(
      { from: email.from, to: [email.to], subject: email.subject, html: email.html, text: email.text },
      { idempotencyKey },
    );
    // Resend answers 200 to an accepted send; the SDK does not pass the status on.
    if (data) return { ok: true, status: 200, providerMessageId: data.id };
    const status = typeof error?.statusCode === "number" ? error.statusCode : null;
    return {
      ok: false,
      status,
      ...(error?.name && { code: error.name }),
      retryAfter: headers?.["retry-after"] ?? null,
      message: `Email provider answered ${status ?? "no status"}: ${error?.name ?? "error"}: ${error?.message ?? "unknown error"}`,
    };
  } catch (error) {
    return {
      ok: false,
      status: null,
      retryAfter: null,
      message: `Email provider unreachable: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
