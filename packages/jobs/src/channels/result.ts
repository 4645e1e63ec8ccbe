/** What a channel reports back from its provider, before anyone decides about retries. */
export type SendResult =
  | { ok: true; status: number | null; providerMessageId: string | null }
  | { ok: false; status: number | null; retryAfter: string | null; message: string; code?: string };
