// The comparison for `user.update`: plain node:http + pg doing the same database work per request
// (session by bearer token; then one transaction: lock the user, update, audit row, outbox row).
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type pg from "pg";
import {
  DEFAULT_PHONE_REGION,
  normalizeUsername,
  profileUpdatedEventName,
  updateProfileInputSchema,
  type ProfileUpdatedEventData,
} from "@acme/validators";

export interface CommittedChange extends ProfileUpdatedEventData {
  outboxEventId: string;
}

export interface BaselineServerOptions {
  pool: pg.Pool;
  authSecret: string;
  /** After commit, like the app's relay hand-off; the BullMQ variant enqueues here. */
  afterCommit?: (change: CommittedChange) => Promise<void>;
}

interface UserRow {
  id: string;
  email: string;
  username: string;
  phoneNumber: string | null;
}

const inputSchema = updateProfileInputSchema(DEFAULT_PHONE_REGION);

/** The session token inside a signed bearer (`token.base64(hmac)`, URL-encoded), or null if the signature is wrong. */
export function verifyBearer(header: string | undefined, secret: string): string | null {
  if (!header || header.slice(0, 7).toLowerCase() !== "bearer ") return null;
  const signed = decodeURIComponent(header.slice(7).trim());
  const dot = signed.lastIndexOf(".");
  if (dot <= 0) return null;
  const token = signed.slice(0, dot);
  const given = Buffer.from(signed.slice(dot + 1), "base64");
  const expected = createHmac("sha256", secret).update(token).digest();
  return given.length === expected.length && timingSafeEqual(given, expected) ? token : null;
}

export function createBaselineServer({ pool, authSecret, afterCommit }: BaselineServerOptions): Server {
  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error("[baseline]", error);
      if (!res.headersSent) send(res, 500, { error: "internal" });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (req.method === "GET" && req.url === "/ok") return send(res, 200, { ok: true });
    // The same request the app gets: tRPC's non-batched POST with a superjson body.
    if (req.method !== "POST" || req.url !== "/api/trpc/user.update") return send(res, 404, { error: "not found" });
    const body = await readJson(req);
    const token = verifyBearer(req.headers.authorization, authSecret);
    if (!token) return send(res, 401, { error: "UNAUTHORIZED" });
    const session = await pool.query<{ userId: string }>(
      `SELECT "userId" FROM "Session" WHERE token = $1 AND "expiresAt" > now()`,
      [token],
    );
    const userId = session.rows[0]?.userId;
    if (!userId) return send(res, 401, { error: "UNAUTHORIZED" });
    const parsed = inputSchema.safeParse((body as { json?: unknown } | null)?.json);
    if (!parsed.success) return send(res, 400, { error: parsed.error.message });
    const values = parsed.data;

    const client = await pool.connect();
    let committed: CommittedChange | null = null;
    let user: UserRow;
    let changedFields: string[];
    try {
      await client.query("BEGIN");
      const locked = await client.query<UserRow>(
        `SELECT id, email, username, "phoneNumber" FROM "User" WHERE id = $1 FOR UPDATE`,
        [userId],
      );
      user = locked.rows[0]!;
      const changes: Record<string, { from: string | null; to: string | null }> = {};
      if (values.username !== undefined && values.username !== user.username)
        changes.username = { from: user.username, to: values.username };
      if (values.phoneNumber !== undefined && values.phoneNumber !== user.phoneNumber)
        changes.phoneNumber = { from: user.phoneNumber, to: values.phoneNumber };
      changedFields = Object.keys(changes);
      if (changedFields.length > 0) {
        const username = values.username ?? user.username;
        const phoneNumber = values.phoneNumber === undefined ? user.phoneNumber : values.phoneNumber;
        const updated = await client.query<UserRow>(
          `UPDATE "User" SET username = $2, name = $2, "usernameNormalized" = $3, "phoneNumber" = $4, "updatedAt" = now()
           WHERE id = $1 RETURNING id, email, username, "phoneNumber"`,
          [userId, username, normalizeUsername(username), phoneNumber],
        );
        user = updated.rows[0]!;
        const changeId = randomUUID();
        await client.query(
          `INSERT INTO "ProfileChange" (id, "userId", "actorId", "changedFields", changes, "ipAddress", "userAgent", "createdAt")
           VALUES ($1, $2, $2, $3, $4, $5, $6, clock_timestamp())`,
          [
            changeId,
            userId,
            changedFields,
            changes,
            req.socket.remoteAddress ?? null,
            req.headers["user-agent"] ?? null,
          ],
        );
        const outboxEventId = randomUUID();
        const payload: ProfileUpdatedEventData = {
          changeId,
          userId,
          changedFields: changedFields as ProfileUpdatedEventData["changedFields"],
        };
        // The same row as the app's; born dispatched because no relay serves the baseline, and
        // the app's relay shares this database and must leave it alone.
        await client.query(
          `INSERT INTO "OutboxEvent" (id, name, payload, "createdAt", "dispatchedAt") VALUES ($1, $2, $3, now(), now())`,
          [outboxEventId, profileUpdatedEventName, payload],
        );
        committed = { ...payload, outboxEventId };
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      client.release();
      if ((error as { code?: string }).code === "23505") return send(res, 409, { error: "CONFLICT" });
      throw error;
    }
    client.release();
    if (committed && afterCommit) await afterCommit(committed);
    send(res, 200, {
      result: {
        data: {
          json: {
            user: { id: user.id, username: user.username, phoneNumber: user.phoneNumber },
            changed: changedFields,
          },
        },
      },
    });
  }
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : null);
      } catch {
        resolve(null);
      }
    });
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
