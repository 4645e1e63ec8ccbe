import { DEFAULT_PHONE_REGION, isCountryCode } from "@acme/validators";
import type { CountryCode } from "libphonenumber-js";

/** DEFAULT_PHONE_REGION (ISO 3166 alpha-2) reads national phone numbers; US if unset. */
export function phoneRegionFromEnv(env: NodeJS.ProcessEnv = process.env): CountryCode {
  const value = env.DEFAULT_PHONE_REGION?.toUpperCase();
  if (!value) return DEFAULT_PHONE_REGION;
  if (!isCountryCode(value)) throw new Error(`DEFAULT_PHONE_REGION must be a two-letter country code, got "${value}"`);
  return value;
}
