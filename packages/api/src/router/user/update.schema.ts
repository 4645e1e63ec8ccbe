import { updateProfileInputSchema, updateProfileRequestSchema } from "@acme/validators";
import type { CountryCode } from "libphonenumber-js";
import { TRPCError } from "@trpc/server";

export const updateInput = updateProfileRequestSchema;

/** The request's values, phone number in E.164 read with the server's region; BAD_REQUEST naming the field otherwise. */
export function readUpdateValues(input: unknown, defaultPhoneRegion: CountryCode) {
  const parsed = updateProfileInputSchema(defaultPhoneRegion).safeParse(input);
  if (!parsed.success) throw new TRPCError({ code: "BAD_REQUEST", message: parsed.error.message, cause: parsed.error });
  return parsed.data;
}
