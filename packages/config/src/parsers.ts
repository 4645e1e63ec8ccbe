import { getCountries, type CountryCode } from "libphonenumber-js";
import { z } from "zod";

// Environment values are strings; these read them into typed values and name the rule broken.

/** Unset and empty mean the same thing in a shell: use the default. */
const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

export const optionalString = z.preprocess(unsetIfEmpty, z.string().optional());

export const optionalUrl = z.preprocess(
  unsetIfEmpty,
  z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
);

export function int(defaultValue: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  return z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: "must be a number" })
      .int({ error: "must be a whole number" })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` })
      .default(defaultValue),
  );
}

export const port = (defaultValue: number) => int(defaultValue, { min: 0, max: 65_535 });

/** on/off, true/false, 1/0, yes/no. */
export function flag(defaultValue: boolean) {
  return z.preprocess(
    unsetIfEmpty,
    z
      .enum(["on", "off", "true", "false", "1", "0", "yes", "no"], { error: "must be on or off" })
      .transform((value) => ["on", "true", "1", "yes"].includes(value))
      .default(defaultValue),
  );
}

/** A comma-separated list; blanks dropped. */
export const list = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean),
    ),
);

const countries = new Set<string>(getCountries());
export const countryCode = z.preprocess(
  (value) => (typeof value === "string" && value !== "" ? value.toUpperCase() : undefined),
  z
    .string()
    .refine((value): value is CountryCode => countries.has(value), { error: "must be a two-letter country code" })
    .default("US")
    .transform((value) => value),
);
