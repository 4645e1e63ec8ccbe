import { describeUserAgent as describe } from "@acme/validators";

/** The shared description (names from a known list only), capitalised to start a line in a list. */
export function describeUserAgent(userAgent: string | null | undefined): string {
  const text = describe(userAgent);
  return text.charAt(0).toUpperCase() + text.slice(1);
}
