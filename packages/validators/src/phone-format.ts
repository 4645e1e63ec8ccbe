import { parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * A stored number (E.164, `+442079460958`) as people read it: `+44 20 7946 0958`. Anything that
 * does not parse is shown as it is rather than hidden.
 */
export function formatPhoneNumber(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
