import { formatPhoneNumber } from "@acme/validators";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const shortDateTime = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

export function formatDateTime(date: Date): string {
  return dateTime.format(date);
}

export function formatShortDateTime(date: Date): string {
  return shortDateTime.format(date);
}

/** "3 minutes ago", "yesterday". */
export function formatRelative(date: Date, now = Date.now()): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return seconds <= 0 ? "just now" : "in a moment";
  if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 22 * 3600) return relative.format(Math.round(seconds / 3600), "hour");
  if (abs < 26 * 86400) return relative.format(Math.round(seconds / 86400), "day");
  return dateTime.format(date);
}

const FIELD_LABELS: Record<string, string> = { username: "username", phoneNumber: "phone number" };

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

/** ["username", "phoneNumber"] → "username and phone number". */
export function listFields(fields: string[]): string {
  const labels = fields.map(fieldLabel);
  if (labels.length <= 1) return labels.join("");
  return `${labels.slice(0, -1).join(", ")} and ${labels.at(-1)}`;
}

export function shortId(id: string): string {
  return id.length > 10 ? `…${id.slice(-8)}` : id;
}

export type FieldChange = { from: string | null; to: string | null };

/** One changed field in words: "username changed from “ann” to “anna”", "phone number removed". */
export function describeFieldChange(field: string, stored: FieldChange): string {
  const label = fieldLabel(field);
  // Numbers are stored E.164 and read formatted.
  const show = (value: string | null) => (value !== null && field === "phoneNumber" ? formatPhoneNumber(value) : value);
  const change = { from: show(stored.from), to: show(stored.to) };
  if (change.from === null && change.to !== null) return `${label} added: ${change.to}`;
  if (change.to === null) return `${label} removed${change.from ? ` (was ${change.from})` : ""}`;
  return `${label} changed from “${change.from}” to “${change.to}”`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
