export {
  startMailbox,
  toResendEmail,
  type Mailbox,
  type MailboxOptions,
  type FailureOptions,
  type WaitOptions,
  type ResendEmail,
} from "./mailbox";
export type { StoredEmail } from "./store";
export {
  validateEmail,
  isEmailAddress,
  MAX_RECIPIENTS,
  type EmailInput,
  type EmailTag,
  type AttachmentInfo,
  type ResendErrorBody,
} from "./validation";
