import { fail } from "./errors";
import type { StoredEmail } from "./store";

/** Resend's `GET /emails/:id` shape. */
export interface ResendEmail {
  object: "email";
  id: string;
  to: string[];
  from: string;
  created_at: string;
  subject: string;
  html: string | null;
  text: string | null;
  bcc: string[] | null;
  cc: string[] | null;
  reply_to: string[] | null;
  last_event: "delivered" | "scheduled";
  scheduled_at: string | null;
  tags: { name: string; value: string }[];
  topic_id: string | null;
  message_id: string;
}

export function toResendEmail(email: StoredEmail): ResendEmail {
  return {
    object: "email",
    id: email.id,
    to: email.to,
    from: email.from,
    created_at: email.createdAt,
    subject: email.subject,
    html: email.html,
    text: email.text,
    bcc: email.bcc.length ? email.bcc : null,
    cc: email.cc.length ? email.cc : null,
    reply_to: email.replyTo.length ? email.replyTo : null,
    // Resend's own test domain does not deliver, and neither do we: everything is "delivered" locally.
    last_event: email.scheduledAt && Date.parse(email.scheduledAt) > Date.now() ? "scheduled" : "delivered",
    scheduled_at: email.scheduledAt,
    tags: email.tags,
    topic_id: email.topicId,
    message_id: `<${email.id}@mailbox.local>`,
  };
}

/** Resend's cursor pagination: `limit` 1..100 (default 20), `after`/`before` an email id. */
export function listEmails(all: StoredEmail[], query: URLSearchParams): Record<string, unknown> {
  const limitParam = query.get("limit");
  const limit = limitParam === null ? 20 : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw fail(422, "validation_error", "Invalid `limit` parameter. It must be an integer between 1 and 100.");
  }
  const after = query.get("after");
  const before = query.get("before");
  let page: StoredEmail[];
  let hasMore: boolean;
  if (before) {
    const end = all.findIndex((e) => e.id === before);
    const upTo = end === -1 ? 0 : end;
    page = all.slice(Math.max(0, upTo - limit), upTo);
    hasMore = upTo - limit > 0;
  } else {
    const start = after ? all.findIndex((e) => e.id === after) + 1 : 0;
    const from = after && start === 0 ? all.length : start;
    page = all.slice(from, from + limit);
    hasMore = from + limit < all.length;
  }
  return {
    object: "list",
    has_more: hasMore,
    data: page.map((e) => {
      const { html: _html, text: _text, tags: _tags, object: _object, ...rest } = toResendEmail(e);
      return rest;
    }),
  };
}
