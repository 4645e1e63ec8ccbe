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
