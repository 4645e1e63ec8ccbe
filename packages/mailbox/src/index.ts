export {
  startMailbox,
  RESEND_DEFAULT_RATE_LIMIT,
  type Mailbox,
  type MailboxOptions,
  type SendGate,
  type WaitOptions,
} from "./mailbox";
export type { FailureOptions } from "./failures";
export { toResendEmail, type ResendEmail } from "./resend-email";
export type { StoredEmail } from "./store";
export type { ResendErrorBody } from "./errors";
export { LOCAL_SENDER_DOMAIN, senderDomain, unverifiedSender } from "./senders";
export { SlidingWindowRateLimiter, type RateLimitDecision } from "./rate-limit";
export {
  validateEmail,
  validateBatchEmail,
  isEmailAddress,
  MAX_RECIPIENTS,
  type EmailInput,
  type EmailTag,
  type AttachmentInfo,
} from "./validation";
