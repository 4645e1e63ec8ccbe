import type { z } from "zod";
import { readDeliveryContent } from "@acme/validators";
import type { AdminContext } from "../types";
import { mailboxGet } from "./client";
import type { listMailboxInput } from "./list.schema";

interface ResendListEmail {
  id: string;
  from: string;
  to: string[] | string;
  subject: string;
  created_at: string;
  last_event?: string | null;
}

/** Emails held by the local mailbox, newest first (Resend's `GET /emails`). */
export async function listMailbox({ ctx, input }: { ctx: AdminContext; input: z.output<typeof listMailboxInput> }) {
  const config = ctx.config.mailbox;
  if (config.mode !== "local") return { mode: config.mode, baseUrl: null, emails: [], hasMore: false };
  const query = new URLSearchParams({ limit: String(input.limit) });
  if (input.cursor) query.set("after", input.cursor);
  const page = await mailboxGet<{ data: ResendListEmail[]; has_more: boolean }>(config, `/emails?${query}`);
  // Resend's list carries no bodies: the delivery that sent each email knows its change and text.
  const deliveries = await ctx.db.delivery.findMany({
    where: { channel: "email", providerMessageId: { in: page.data.map((email) => email.id) } },
    select: {
      id: true,
      providerMessageId: true,
      content: true,
      profileChange: { select: { id: true, kind: true, changedFields: true } },
    },
  });
  const byMessage = new Map(deliveries.map((d) => [d.providerMessageId, d]));
  return {
    mode: config.mode,
    baseUrl: config.baseUrl,
    emails: page.data.map((email) => {
      const delivery = byMessage.get(email.id);
      return {
        id: email.id,
        from: email.from,
        to: Array.isArray(email.to) ? email.to : [email.to],
        subject: email.subject,
        createdAt: new Date(email.created_at),
        lastEvent: email.last_event ?? null,
        preview: delivery
          ? previewLine(readDeliveryContent("email", delivery.content).email?.text, email.subject)
          : null,
        deliveryId: delivery?.id ?? null,
        change: delivery?.profileChange ?? null,
      };
    }),
    hasMore: page.has_more,
  };
}

const PREVIEW_CHARS = 160;

/** The start of an email's text as an inbox shows it: one line, without the headline that repeats the subject. */
export function previewLine(text: string | null | undefined, subject: string): string | null {
  if (!text) return null;
  const lines = text
    .split("\n")
    .map((line) => line.replace(/^\s*[*•-]\s+/, "").trim())
    .filter(Boolean);
  if (lines[0]?.toLowerCase() === subject.toLowerCase()) lines.shift();
  const line = lines.join(" · ").replace(/\s+/g, " ");
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS - 1)}…` : line || null;
}
