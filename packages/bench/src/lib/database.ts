import { createHmac, randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "@acme/db";

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database on the server `serverUrl` names; dropped by `drop()`. */
export async function createBenchDatabase(serverUrl: string, prefix: string): Promise<BenchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  return {
    name,
    url: url.toString(),
    drop: () => withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * What better-auth's bearer plugin hands a client in `set-auth-token`: the session token and
 * its HMAC-SHA256 under the auth secret, URL-encoded.
 */
export function signSessionToken(token: string, secret: string): string {
  const signature = createHmac("sha256", secret).update(token).digest("base64");
  return encodeURIComponent(`${token}.${signature}`);
}

export interface BenchUser {
  index: number;
  id: string;
  email: string;
  /** Value for `Authorization: Bearer …`. */
  bearer: string;
}

/**
 * Users with a live session each, inserted directly (signing up hundreds of users through the
 * app would measure password hashing and hit the auth rate limit, not the update path).
 */
export async function seedUsers(url: string, count: number, authSecret: string): Promise<BenchUser[]> {
  const users = Array.from({ length: count }, (_, index) => {
    const token = randomBytes(24).toString("base64url");
    return {
      index,
      id: `bench-user-${index}`,
      email: `bench${index}@example.com`,
      username: `bench_${index}`,
      token,
      bearer: signSessionToken(token, authSecret),
    };
  });
  await withClient(url, async (c) => {
    await c.query(
      `INSERT INTO "User" (id, email, "emailVerified", name, username, "usernameNormalized", role, "createdAt", "updatedAt")
       SELECT id, email, true, username, username, lower(username), 'user', now(), now()
       FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, email, username)`,
      [users.map((u) => u.id), users.map((u) => u.email), users.map((u) => u.username)],
    );
    await c.query(
      `INSERT INTO "Session" (id, token, "expiresAt", "userId", "userAgent", "createdAt", "updatedAt")
       SELECT 'bench-session-' || s.user_id, s.token, now() + interval '7 days', s.user_id, 'profile-notify-bench', now(), now()
       FROM unnest($1::text[], $2::text[]) AS s(user_id, token)`,
      [users.map((u) => u.id), users.map((u) => u.token)],
    );
  });
  return users.map(({ index, id, email, bearer }) => ({ index, id, email, bearer }));
}
