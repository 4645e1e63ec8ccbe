import type { z } from "zod";
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
  return {
    mode: config.mode,
    baseUrl: config.baseUrl,
    emails: page.data.map((email) => ({
      id: email.id,
      from: email.from,
      to: Array.isArray(email.to) ? email.to : [email.to],
      subject: email.subject,
      createdAt: new Date(email.created_at),
      lastEvent: email.last_event ?? null,
    })),
    hasMore: page.has_more,
  };
}
