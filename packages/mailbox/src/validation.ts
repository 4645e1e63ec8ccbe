import { z } from "zod";
import type { ResendErrorBody } from "./errors";

export interface EmailTag {
  name: string;
  value: string;
}

export interface AttachmentInfo {
  filename: string | null;
  contentType: string | null;
  /** Remote attachments (`path`) are not fetched; only the URL is kept. */
  path: string | null;
  /** Decoded size in bytes of inline `content`, null for `path` attachments. */
  size: number | null;
}

/** A validated `POST /emails` body, normalised (single addresses become arrays). */
export interface EmailInput {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  html: string | null;
  text: string | null;
  headers: Record<string, string>;
  tags: EmailTag[];
  attachments: AttachmentInfo[];
  scheduledAt: string | null;
  templateId: string | null;
  topicId: string | null;
}

export const MAX_RECIPIENTS = 50;

const ADDRESS_HINT = "The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.";
const ADDRESS_FIELDS = new Set(["from", "to", "cc", "bcc", "reply_to"]);
const email = z.email();

/** Accepts `a@b.co` and `Display Name <a@b.co>`, as Resend does. */
export function isEmailAddress(value: string): boolean {
  const named = /^\s*(?:"[^"]*"|[^<>"]*?)\s*<([^<>\s]+)>\s*$/.exec(value);
  return email.safeParse(named ? named[1] : value.trim()).success;
}

const address = z.string().refine(isEmailAddress);
const addresses = z.union([address, z.array(address).min(1)]);

const attachment = z
  .object({
    content: z.string().optional(),
    filename: z.string().optional(),
    path: z.string().optional(),
    content_type: z.string().optional(),
    content_id: z.string().optional(),
  })
  .refine((a) => a.content !== undefined || a.path !== undefined);

// Field order matters: the first failing field is the one reported, like Resend.
const emailSchema = z
  .object({
    from: address,
    to: addresses,
    subject: z.string().min(1),
    cc: addresses.optional(),
    bcc: addresses.optional(),
    reply_to: addresses.optional(),
    html: z.string().optional(),
    text: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    tags: z
      .array(
        z.object({
          name: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/),
          value: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/),
        }),
      )
      .optional(),
    attachments: z.array(attachment).optional(),
    scheduled_at: z.string().optional(),
    template: z.object({ id: z.string().min(1), variables: z.record(z.string(), z.unknown()).optional() }).optional(),
    topic_id: z.string().optional(),
  })
  .refine((e) => e.html !== undefined || e.text !== undefined || e.template !== undefined, { path: ["html"] });

export type Validated = { ok: true; email: EmailInput } | { ok: false; error: ResendErrorBody };

const toArray = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function validateEmail(body: unknown): Validated {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return invalid("validation_error", "The request body must be a JSON object.");
  }
  const raw = body as Record<string, unknown>;
  const to = raw["to"];
  if (Array.isArray(to) && to.length > MAX_RECIPIENTS) {
    return invalid("validation_error", `Too many recipients in the \`to\` field. The maximum is ${MAX_RECIPIENTS}.`);
  }
  const parsed = emailSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? "body");
    if (field === "attachments") {
      return invalid("invalid_attachment", "Attachment must have either a `content` or `path`.", 422);
    }
    if (issue?.code === "custom" && field === "html") {
      return invalid("validation_error", "Missing `html` or `text` field.");
    }
    const value = raw[field];
    if (value === undefined || value === null || (field === "subject" && value === "")) {
      return invalid("validation_error", `Missing \`${field}\` field.`);
    }
    const hint = ADDRESS_FIELDS.has(field) ? ADDRESS_HINT : (issue?.message ?? "");
    return invalid("validation_error", `Invalid \`${field}\` field. ${hint}`.trim());
  }
  const e = parsed.data;
  return {
    ok: true,
    email: {
      from: e.from,
      to: toArray(e.to),
      cc: toArray(e.cc),
      bcc: toArray(e.bcc),
      replyTo: toArray(e.reply_to),
      subject: e.subject,
      html: e.html ?? null,
      text: e.text ?? null,
      headers: e.headers ?? {},
      tags: e.tags ?? [],
      attachments: (e.attachments ?? []).map((a) => ({
        filename: a.filename ?? null,
        contentType: a.content_type ?? null,
        path: a.path ?? null,
        size: a.content === undefined ? null : Buffer.from(a.content, "base64").length,
      })),
      scheduledAt: e.scheduled_at ?? null,
      templateId: e.template?.id ?? null,
      topicId: e.topic_id ?? null,
    },
  };
}

/**
 * One email of `POST /emails/batch`: the same rules, minus what the batch endpoint does not
 * support (https://resend.com/docs/api-reference/emails/send-batch-emails).
 */
export function validateBatchEmail(body: unknown): Validated {
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    for (const field of ["attachments", "scheduled_at"]) {
      if ((body as Record<string, unknown>)[field] !== undefined) {
        return invalid("validation_error", `The \`${field}\` field is not supported for batch emails.`);
      }
    }
  }
  return validateEmail(body);
}

function invalid(name: string, message: string, statusCode = 422): Validated {
  return { ok: false, error: { statusCode, name, message } };
}
