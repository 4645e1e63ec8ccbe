import type { ProfileChange } from "@acme/db";
import { hasSecureLink, isEmailOnly, parseAccountEventDetails } from "@acme/validators";
import { secureLinkUrl, signSecureLinkToken } from "@acme/validators/secure-link";
import type { JobDeps } from "./deps";

// A notice's links carry secrets (the "this wasn't me" token, a password reset token). What is
// stored on the delivery — what admins read, what a retry sends — holds these slots instead; the
// tokens go in just before each send. Both are fixed per change, so a retry sends the same bytes.
const SECURE_TOKEN_SLOT = "SECURE_LINK_TOKEN";
const RESET_TOKEN_SLOT = "RESET_LINK_TOKEN";

export interface NoticeLinks {
  secureUrl: string | null;
  resetUrl: string | null;
}

/** The links of a notice, with slots where the tokens go. */
export function noticeLinkSlots(appUrl: string, change: Pick<ProfileChange, "kind">): NoticeLinks {
  return {
    secureUrl: hasSecureLink(change.kind) ? secureLinkUrl(appUrl, SECURE_TOKEN_SLOT) : null,
    // In the fragment, as the secure link: never sent to a server, so never logged.
    resetUrl: isEmailOnly(change.kind) ? `${appUrl}/reset-password#${RESET_TOKEN_SLOT}` : null,
  };
}

export type LinkTokens = { ok: true; fill: <T>(content: T) => T } | { ok: false; reason: string };

/** The tokens for `change`'s slots, or why its link can no longer be sent (a reset token used or expired). */
export async function resolveLinkTokens(
  deps: JobDeps,
  change: Pick<ProfileChange, "id" | "kind" | "details">,
): Promise<LinkTokens> {
  const tokens = new Map<string, string>();
  if (hasSecureLink(change.kind))
    tokens.set(SECURE_TOKEN_SLOT, signSecureLinkToken(deps.config.secureLinks.secret, change.id));
  if (isEmailOnly(change.kind)) {
    const { resetVerificationId } = parseAccountEventDetails(change.details);
    const verification = resetVerificationId
      ? await deps.db.verification.findUnique({ where: { id: resetVerificationId } })
      : null;
    const token = verification?.identifier.replace(/^reset-password:/, "");
    if (!verification || !token || verification.expiresAt <= new Date())
      return { ok: false, reason: "The password reset link was used or expired before it could be sent" };
    tokens.set(RESET_TOKEN_SLOT, token);
  }
  return {
    ok: true,
    // Slots and tokens are URL-safe characters only, so a textual replace is exact in HTML, text and JSON.
    fill: <T>(content: T): T => {
      let json = JSON.stringify(content);
      for (const [slot, token] of tokens) json = json.replaceAll(slot, token);
      return JSON.parse(json) as T;
    },
  };
}
