import type { Session } from "./index";

/**
 * Sessions looked up by bearer token, kept for a few seconds in this process: a client calling the
 * API in a burst costs one session lookup (two queries) per TTL instead of one per call.
 *
 * Revocation: a session deleted through better-auth in this process (sign-out, revoke) empties the
 * cache at once; one deleted elsewhere (another process, plain SQL) stays usable here for at most
 * `ttlMs`, never past its own expiry. Cookie sessions (the browser) are not cached.
 */
export class SessionCache {
  private readonly entries = new Map<string, { session: Session; until: number }>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, now = Date.now()): Session | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > now) return entry.session;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, session: Session, expiresAt: Date, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    // Oldest first out: a Map iterates in insertion order.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { session, until: Math.min(now + this.ttlMs, expiresAt.getTime()) });
  }

  clear(): void {
    this.entries.clear();
  }
}

// Process-wide, not per module copy: the app's front serves /api/trpc with its own copy of this
// module while Next's bundle has another, and both must find the cache the auth object was made with.
const registry = globalThis as typeof globalThis & { __profileNotifySessionCaches?: WeakMap<object, SessionCache> };
const caches = (registry.__profileNotifySessionCaches ??= new WeakMap<object, SessionCache>());

export function attachSessionCache(auth: object, cache: SessionCache): void {
  caches.set(auth, cache);
}

/**
 * Drops every cached session of this process at once: after sessions were ended or a role changed
 * outside better-auth (plain SQL in a transaction), so this process does not wait out the TTL.
 */
export function forgetCachedSessions(auth: object): void {
  caches.get(auth)?.clear();
}

/** The cache key for a request's credentials: its bearer token, or null (cookies, none). */
function bearerKey(headers: Headers): string | null {
  const authorization = headers.get("authorization");
  return authorization && /^bearer\s+\S/i.test(authorization) ? authorization : null;
}

/** `lookup()` through the cache `auth` was created with, for bearer requests. */
export async function cachedSession(
  auth: object,
  headers: Headers,
  lookup: () => Promise<{ session: Session; expiresAt: Date } | null>,
): Promise<Session | null> {
  const cache = caches.get(auth);
  const key = cache && cache.ttlMs > 0 ? bearerKey(headers) : null;
  const hit = key ? cache!.get(key) : undefined;
  if (hit) return hit;
  const found = await lookup();
  if (!found) return null;
  if (key) cache!.set(key, found.session, found.expiresAt);
  return found.session;
}
