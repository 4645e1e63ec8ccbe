const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];

/** An app on a loopback host is the same app under each loopback name: http://127.0.0.1:3000 as http://localhost:3000. */
export function loopbackAliases(origin: string): string[] {
  const url = new URL(origin);
  if (!LOOPBACK_HOSTS.includes(url.hostname)) return [];
  return LOOPBACK_HOSTS.filter((host) => host !== url.hostname).map((host) => {
    const alias = new URL(origin);
    alias.hostname = host;
    return alias.origin;
  });
}
