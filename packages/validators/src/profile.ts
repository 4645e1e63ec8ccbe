import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { z } from "zod";

export const PROFILE_FIELDS = ["username", "phoneNumber"] as const;
export const profileFieldSchema = z.enum(PROFILE_FIELDS);
export type ProfileField = z.infer<typeof profileFieldSchema>;

export const USERNAME_RULE = "3–30 characters: letters, digits or _";

export const usernameSchema = z
  .string({ error: "Username must be text" })
  .trim()
  .min(3, { error: "Username must be at least 3 characters" })
  .max(30, { error: "Username must be at most 30 characters" })
  .regex(/^[A-Za-z0-9_]+$/, { error: "Username may contain only letters, digits and _" });

/** The key that makes usernames unique regardless of case. */
export function normalizeUsername(username: string): string {
  return username.toLowerCase();
}

/** Parses national or international input into E.164; `null` clears the number. */
export function phoneNumberSchema(defaultCountry: CountryCode) {
  return z
    .string({ error: "Phone number must be text or null" })
    .trim()
    .min(1, { error: "Phone number must not be empty (send null to remove it)" })
    .max(32, { error: "Phone number is too long" })
    .transform((value, ctx) => {
      const parsed = parsePhoneNumberFromString(value, defaultCountry);
      if (!parsed || !parsed.isValid()) {
        ctx.addIssue({
          code: "custom",
          message: `Phone number is not a valid number (use international format like +14155550123, or a ${defaultCountry} number)`,
        });
        return z.NEVER;
      }
      return parsed.number as string;
    })
    .nullable();
}

export function updateProfileInputSchema(defaultCountry: CountryCode) {
  return z
    .strictObject(
      {
        username: usernameSchema.optional(),
        phoneNumber: phoneNumberSchema(defaultCountry).optional(),
      },
      { error: (issue) => (issue.code === "unrecognized_keys" ? `Unknown field(s): ${issue.keys.join(", ")}` : undefined) },
    )
    .refine((input) => input.username !== undefined || input.phoneNumber !== undefined, {
      error: "Provide at least one of username or phoneNumber",
    });
}

export type UpdateProfileInput = z.input<ReturnType<typeof updateProfileInputSchema>>;
export type UpdateProfileValues = z.output<ReturnType<typeof updateProfileInputSchema>>;

export const DEFAULT_PHONE_REGION: CountryCode = "US";

export function isCountryCode(value: string): value is CountryCode {
  return /^[A-Z]{2}$/.test(value);
}
