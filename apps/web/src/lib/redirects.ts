/** A `next` parameter is followed only when it is a path on this site (no open redirects). */
export function safeNextPath(value: string | string[] | null | undefined, fallback = "/profile"): string {
  const path = Array.isArray(value) ? value[0] : value;
  if (!path || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return fallback;
  return path;
}
