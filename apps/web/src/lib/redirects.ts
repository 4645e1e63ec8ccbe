const PROBE_ORIGIN = "http://same-origin.invalid";

/**
 * A `next` parameter is followed only when it resolves to a path on this site (no open
 * redirects): parsed the way the browser will parse it, so tricks like `/\t/evil.com` or
 * `/\evil.com` that normalize to another host are refused.
 */
export function safeNextPath(value: string | string[] | null | undefined, fallback = "/profile"): string {
  const path = Array.isArray(value) ? value[0] : value;
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (!path || !path.startsWith("/") || /[\u0000-\u001f\\]/.test(path)) return fallback;
  let url: URL;
  try {
    url = new URL(path, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  // "/..//evil.com" resolves to the path "//evil.com", which a browser reads as another host.
  if (url.origin !== PROBE_ORIGIN || url.pathname.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
