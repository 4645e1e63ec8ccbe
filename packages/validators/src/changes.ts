import { z } from "zod";

/** What one profile change did, field by field: exactly the changed fields, each `{ from, to }`. */
export const profileChangesSchema = z.strictObject({
  username: z.strictObject({ from: z.string(), to: z.string() }).optional(),
  phoneNumber: z.strictObject({ from: z.string().nullable(), to: z.string().nullable() }).optional(),
});
export type ProfileChanges = z.infer<typeof profileChangesSchema>;

/** Reads a stored `ProfileChange.changes` column; throws if it is not what the API writes. */
export function parseProfileChanges(value: unknown): ProfileChanges {
  return profileChangesSchema.parse(value);
}

/** Never reveal a full phone number in a notification or to a link holder: "ending in 10". */
export function maskPhoneNumber(phone: string): string {
  return `ending in ${phone.replace(/\D/g, "").slice(-2)}`;
}

export interface ChangeSummary {
  /** One phrase per changed field, e.g. `username changed to “bob”`. */
  lines: string[];
  sentence: string;
}

/** What a change did, in words a notification can carry: phone numbers masked. */
export function summarizeChanges(changes: ProfileChanges): ChangeSummary {
  const lines: string[] = [];
  if (changes.username) lines.push(`username changed from “${changes.username.from}” to “${changes.username.to}”`);
  if (changes.phoneNumber) {
    const { from, to } = changes.phoneNumber;
    if (to === null) lines.push(`phone number ${from ? maskPhoneNumber(from) + " " : ""}removed`);
    else if (from === null) lines.push(`phone number ${maskPhoneNumber(to)} added`);
    else lines.push(`phone number changed to one ${maskPhoneNumber(to)}`);
  }
  const joined =
    lines.length > 1 ? `${lines.slice(0, -1).join(", ")} and ${lines.at(-1)}` : (lines[0] ?? "details changed");
  return { lines, sentence: `Your ${joined}.` };
}
