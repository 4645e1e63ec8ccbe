import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { z } from "zod";
import { plainString } from "./text";

export const PROFILE_FIELDS = ["username", "phoneNumber"] as const;
export const profileFieldSchema = z.enum(PROFILE_FIELDS);
export type ProfileField = z.infer<typeof profileFieldSchema>;

export const USERNAME_RULE = "3–30 characters: letters, digits or _";

export const usernameSchema = plainString("Username")
  .trim()
  .min(3, { error: "Username must be at least 3 characters" })
  .max(30, { error: "Username must be at most 30 characters" })
  .regex(/^[A-Za-z0-9_]+$/, { error: "Username may contain only letters, digits and _" });

/** The key that makes usernames unique regardless of case. */
export function normalizeUsername(username: string): string {
  return username.toLowerCase();
}

/** A phone number as typed: text to be read as a number (or null to remove it). */
const phoneTextSchema = plainString("Phone number")
  .trim()
  .min(1, { error: "Phone number must not be empty (send null to remove it)" })
  .max(32, { error: "Phone number is too long" });

function toE164(defaultCountry: CountryCode) {
  return z.string().transform((value, ctx) => {
    const parsed = parsePhoneNumberFromString(value, defaultCountry);
    if (!parsed || !parsed.isValid()) {
      ctx.addIssue({
        code: "custom",
        message: `Phone number is not a valid number (use international format like +14155550123, or a ${defaultCountry} number)`,
      });
      return z.NEVER;
    }
    return parsed.number;
  });
}

/** Parses national or international input into E.164; `null` clears the number. */
export function phoneNumberSchema(defaultCountry: CountryCode) {
  return phoneTextSchema.pipe(toE164(defaultCountry)).nullable();
}

/**
 * `user.update`'s input on the wire. National phone numbers need the server's region, so the
 * number is read into E.164 by `updateProfileInputSchema`, which the handler applies.
 */
export const updateProfileRequestSchema = z
  .strictObject(
    {
      username: usernameSchema.optional(),
      phoneNumber: phoneTextSchema.nullable().optional(),
    },
    {
      error: (issue) => (issue.code === "unrecognized_keys" ? `Unknown field(s): ${issue.keys.join(", ")}` : undefined),
    },
  )
  .refine((input) => input.username !== undefined || input.phoneNumber !== undefined, {
    error: "Provide at least one of username or phoneNumber",
  });

/** The request with its phone number in E.164, read with `defaultCountry` when typed without a country code. */
export function updateProfileInputSchema(defaultCountry: CountryCode) {
  return updateProfileRequestSchema.pipe(
    z.object({ username: z.string().optional(), phoneNumber: toE164(defaultCountry).nullable().optional() }),
  );
}

export type UpdateProfileInput = z.input<typeof updateProfileRequestSchema>;
export type UpdateProfileValues = z.output<ReturnType<typeof updateProfileInputSchema>>;

export const DEFAULT_PHONE_REGION: CountryCode = "US";

export function isCountryCode(value: string): value is CountryCode {
  return /^[A-Z]{2}$/.test(value);
}
