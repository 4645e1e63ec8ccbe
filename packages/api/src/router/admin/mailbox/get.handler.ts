import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import type { AdminContext } from "../types";
import { mailboxGet } from "./client";
import type { getMailboxEmailInput } from "./get.schema";

interface ResendEmail {
  id: string;
  from: string;
  to: string[] | string;
  cc?: string[] | null;
  reply_to?: string[] | null;
  subject: string;
  html: string | null;
  text: string | null;
  created_at: string;
  last_event?: string | null;
}

/** One email from the local mailbox with its HTML and text bodies (Resend's `GET /emails/:id`). */
export async function getMailboxEmail({
  ctx,
  input,
}: {
  ctx: AdminContext;
  input: z.output<typeof getMailboxEmailInput>;
}) {
  const config = ctx.config.mailbox;
  if (config.mode !== "local") {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message:
        config.mode === "resend"
          ? "The local mailbox is not in use: email is sent through Resend"
          : "The local mailbox is not configured (RESEND_BASE_URL is not set)",
    });
  }
  const email = await mailboxGet<ResendEmail>(config, `/emails/${encodeURIComponent(input.id)}`);
  return {
    id: email.id,
    from: email.from,
    to: Array.isArray(email.to) ? email.to : [email.to],
    cc: email.cc ?? [],
    replyTo: email.reply_to ?? [],
    subject: email.subject,
    html: email.html,
    text: email.text,
    createdAt: new Date(email.created_at),
    lastEvent: email.last_event ?? null,
  };
}
