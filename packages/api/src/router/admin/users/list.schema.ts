import { z } from "zod";

export const listUsersInput = z.strictObject({
  /** Part of an email or username; empty lists the newest accounts (admins first). */
  query: z.string().trim().max(200).default(""),
});
