import { createHash } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { hasSecureLink, type AccountEventKind } from "@acme/validators";
import { readSecureLinkToken } from "@acme/validators/secure-link";
import type { ApiConfig } from "../trpc";
import { FixedWindowLimiter } from "./rate-limit";

/** What a secure link can still do: nothing once answered (either way) or expired. */
export type SecureLinkState = "open" | "confirmed" | "reported" | "expired";

export function secureLinkState(
  change: { kind: AccountEventKind; createdAt: Date; confirmedAt: Date | null; reportedAt: Date | null },
  ttlMs: number,
  now = Date.now(),
): SecureLinkState {
  if (change.reportedAt) return "reported";
  if (change.confirmedAt) return "confirmed";
  if (now - change.createdAt.getTime() >= ttlMs) return "expired";
  return "open";
}

export function secureLinkExpiresAt(createdAt: Date, ttlMs: number): Date {
  return new Date(createdAt.getTime() + ttlMs);
}

const INVALID_LINK = "This link is not valid. Open the newest link from your email or notification.";

/** The change a token opens; a forged or malformed token is NOT_FOUND, as is a kind without a link. */
export function changeIdFromToken(config: Pick<ApiConfig, "secureLinks">, token: string): string {
  const changeId = readSecureLinkToken(config.secureLinks.secret, token);
  if (!changeId) throw new TRPCError({ code: "NOT_FOUND", message: INVALID_LINK });
  return changeId;
}

export function assertLinkable(change: { kind: AccountEventKind } | null): asserts change {
  if (!change || !hasSecureLink(change.kind)) throw new TRPCError({ code: "NOT_FOUND", message: INVALID_LINK });
}

// Per client and link, and per client across links (guessing): generous for a person, slow for a script.
const perLink = new FixedWindowLimiter(10, 60_000);
const perClient = new FixedWindowLimiter(30, 60_000);

export function limitSecureLinkRequest(ipAddress: string | null, token: string): void {
  const client = ipAddress ?? "unknown";
  const link = createHash("sha256").update(token).digest("base64url").slice(0, 22);
  if (!perLink.take(`${client}|${link}`) || !perClient.take(client))
    throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: "Too many attempts. Wait a minute and try again." });
}
