import { z } from "zod";

// C0 and C1 control characters, NUL and DEL included: never part of a name, a number or a URL.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value);
}

/** A string refusing control characters as a validation error naming `field`. */
export function plainString(field: string) {
  return z.string({ error: `${field} must be text` }).refine((value) => !hasControlCharacters(value), {
    error: `${field} must not contain control characters`,
    abort: true,
  });
}
