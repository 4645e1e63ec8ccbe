import { z } from "zod";

/** C0 and C1 control characters, NUL and DEL included: never part of a name, a number or a URL. */
export function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/** A string refusing control characters as a validation error naming `field`. */
export function plainString(field: string) {
  return z.string({ error: `${field} must be text` }).refine((value) => !hasControlCharacters(value), {
    error: `${field} must not contain control characters`,
    abort: true,
  });
}
