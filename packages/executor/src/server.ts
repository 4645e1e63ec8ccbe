// The executor's HTTP API: the endpoints the SDK calls (events, sync, checkpoints) and a
// read-only REST v1 API shaped like Inngest's (`/v1/runs/:id`, `/v1/events/:id/runs`).
import type http from "node:http";
import { envelope, runView } from "./api-views";
import { HttpError, readBody, readJson, send, sendError } from "./http-util";
import { isUlid } from "./ids";
import { isObject, type JsonObject, type JsonValue } from "./json";
import type { Logger } from "./log";
import { parseOp, type SdkOp } from "./ops";
import { parseRegistration, RegistrationError } from "./registration";
import { bearerMatches, eventKeyMatches } from "./signing";
import type { EventInput, RunRecord, Store } from "./store";

export interface ServerDeps {
  store: Store;
  logger: Logger;
  leaseMs: number;
  /** Called after anything that may have created due work. */
  onWork: () => void;
  /** When set, `POST /e/:key` requires this key (as self-hosted Inngest does). */
  eventKey?: string;
  /** When set, `/fn/register`, `/v0/*` and `/v1/*` require `Authorization: Bearer <hashed key>`. */
  signingKey?: string;
}

/** What a path needs when the executor runs with keys; `/health` and `/` stay open. */
function authFor(pathname: string): "event-key" | "signing-key" | "none" {
  if (pathname.startsWith("/e/")) return "event-key";
  if (pathname === "/fn/register" || pathname.startsWith("/v0/") || pathname.startsWith("/v1/")) return "signing-key";
  return "none";
}

/** Parses the event API body; Inngest refuses names in its own `inngest/` namespace. */
export function parseEvents(body: unknown): EventInput[] {
  const list = Array.isArray(body) ? body : [body];
  if (list.length === 0) return [];
  const now = Date.now();
  return list.map((raw, i) => {
    const where = Array.isArray(body) ? `event[${i}]` : "event";
    if (!isObject(raw)) throw new HttpError(400, `${where} must be a JSON object`);
    if (typeof raw.name !== "string" || !raw.name.trim()) throw new HttpError(400, `${where} has no name`);
    if (raw.name.toLowerCase().startsWith("inngest/")) {
      throw new HttpError(400, `${where}: event name "${raw.name}" is reserved for internal use`);
    }
    if (raw.data !== undefined && raw.data !== null && !isObject(raw.data)) {
      throw new HttpError(400, `${where}.data must be an object`);
    }
    if (raw.id !== undefined && raw.id !== null && typeof raw.id !== "string") {
      throw new HttpError(400, `${where}.id must be a string`);
    }
    const ts = typeof raw.ts === "number" && Number.isFinite(raw.ts) && raw.ts > 0 ? raw.ts : now;
    // `data._inngest` is Inngest's own; senders cannot set it.
    const { _inngest: _dropped, ...data } = (raw.data ?? {}) as JsonObject;
    const event: EventInput = { name: raw.name, data, ts };
    if (typeof raw.id === "string" && raw.id) event.id = raw.id;
    if (typeof raw.v === "string") event.v = raw.v;
    if (isObject(raw.user)) event.user = raw.user as JsonObject;
    return event;
  });
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, params: string[]) => Promise<void>;

interface Route {
  method: string | string[];
  pattern: RegExp;
  handle: Handler;
}

function requireUlid(value: string, what: string): string {
  if (!isUlid(value)) throw new HttpError(400, `Invalid ${what} ID: ${value}`);
  return value;
}

export function createRequestHandler(deps: ServerDeps): http.RequestListener {
  const { store, logger } = deps;

  const viewRun = async (run: RunRecord) =>
    runView(
      run,
      await store.getFunction(run.functionSlug),
      await store.getSteps(run.id),
      await store.getAttempts(run.id),
    );

  const routes: Route[] = [
    {
      method: "POST",
      pattern: /^\/e\/([^/]+)$/,
      handle: async (req, res) => {
        let events: EventInput[];
        try {
          events = parseEvents(await readJson(req));
        } catch (err) {
          if (err instanceof HttpError) {
            send(res, err.status, { ids: [], status: err.status, error: err.message });
            return;
          }
          throw err;
        }
        const seed = req.headers["x-inngest-event-id-seed"];
        const { ids, runIds } = await store.ingestEvents(events, typeof seed === "string" ? seed : undefined);
        if (runIds.length > 0) deps.onWork();
        logger.debug(`received ${events.length} event(s)`, { ids, runs: runIds.length });
        send(res, 200, { ids, status: 200 });
      },
    },
    {
      method: ["PUT", "POST"],
      pattern: /^\/fn\/register$/,
      handle: async (req, res) => {
        const reg = parseRegistration(await readJson(req));
        await store.registerApp(reg);
        deps.onWork();
        logger.info(`synced app "${reg.appId}" (${reg.functions.length} functions) from ${reg.url}`);
        send(res, 200, { status: 200, ok: true, modified: true, skipped: false });
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/checkpoint\/([^/]+)\/async$/,
      handle: async (req, res, [runId = ""]) => {
        const body = await readJson(req);
        if (!isObject(body) || typeof body.qi_id !== "string" || !Array.isArray(body.steps)) {
          throw new HttpError(400, "Invalid checkpoint body");
        }
        const ops = body.steps.map(parseOp).filter((op): op is SdkOp => op !== undefined);
        const result = await store.checkpoint(runId, body.qi_id, ops, deps.leaseMs);
        logger.debug(`checkpoint for run ${runId}: ${ops.length} op(s), ${result}`);
        if (result === "stale") {
          sendError(res, 409, "Stale dispatch: this queue item is no longer leased");
          return;
        }
        send(res, 200, {});
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/checkpoint(\/[^/]+\/steps)?$/,
      handle: async (req, res) => {
        await readBody(req);
        sendError(
          res,
          501,
          "Sync checkpointing (durable endpoints / StepMode.Sync) is not supported by the embedded executor",
        );
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/runs\/([^/]+)\/metadata$/,
      handle: async (req, res) => {
        await readBody(req);
        send(res, 200, {});
      },
    },
    {
      method: "GET",
      pattern: /^\/v0\/runs\/([^/]+)\/actions$/,
      handle: async (_req, res, [runId = ""]) => {
        const steps = await store.getSteps(runId);
        const out: Record<string, JsonValue> = {};
        for (const s of steps) {
          if (s.status === "completed") out[s.stepId] = { type: "data", data: s.output };
          if (s.status === "failed" && s.error) out[s.stepId] = { type: "error", error: s.error };
        }
        send(res, 200, out);
      },
    },
    {
      method: "GET",
      pattern: /^\/v0\/runs\/([^/]+)\/batch$/,
      handle: async (_req, res, [runId = ""]) => {
        const run = await store.getRunRecord(runId);
        if (!run) throw new HttpError(404, "run not found");
        send(res, 200, [run.event]);
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/runs\/([^/]+)$/,
      handle: async (_req, res, [runId = ""]) => {
        const run = await store.getRunRecord(requireUlid(runId, "run"));
        if (!run) throw new HttpError(404, `Unable to load function run: ${runId}`);
        send(res, 200, envelope(await viewRun(run)));
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/events\/([^/]+)\/runs$/,
      handle: async (_req, res, [eventId = ""]) => {
        const runs = await store.getRunsForEvent(requireUlid(eventId, "event"));
        send(res, 200, envelope(await Promise.all(runs.map(viewRun))));
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/events\/([^/]+)$/,
      handle: async (_req, res, [eventId = ""]) => {
        const event = await store.findEvent(requireUlid(eventId, "event"));
        if (!event) throw new HttpError(404, "Event not found");
        send(
          res,
          200,
          envelope({ internal_id: event.internalId, received_at: event.receivedAt.toISOString(), ...event.payload }),
        );
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/functions$/,
      handle: async (_req, res) => {
        const fns = await store.listFunctions();
        send(
          res,
          200,
          envelope(
            fns.map((f) => ({
              id: f.internalId,
              slug: f.slug,
              name: f.name,
              app_id: f.appId,
              version: f.version,
              url: f.stepUrl,
              triggers: [...f.triggers, ...f.crons.map((cron) => ({ cron }))],
              max_attempts: f.maxAttempts,
              idempotency: f.idempotency ?? null,
              concurrency: f.concurrency,
              throttle: f.throttle ?? null,
            })),
          ),
        );
      },
    },
    {
      method: "GET",
      pattern: /^\/(health)?$/,
      handle: async (_req, res) => send(res, 200, { status: "ok", kind: "embedded-executor" }),
    },
  ];

  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    const auth = authFor(url.pathname);
    if (auth === "event-key" && deps.eventKey !== undefined) {
      const given = decodeURIComponent(url.pathname.slice("/e/".length));
      if (!eventKeyMatches(given, deps.eventKey)) {
        logger.warn(`refused ${method} /e/…: event key not recognized`);
        req.resume();
        send(res, 401, { ids: [], status: 401, error: "Event key not found" });
        return;
      }
    }
    if (auth === "signing-key" && deps.signingKey !== undefined) {
      if (!bearerMatches(req.headers.authorization, deps.signingKey)) {
        logger.warn(`refused ${method} ${url.pathname}: missing or wrong signing key`);
        req.resume();
        sendError(res, 401, "Authentication failed");
        return;
      }
    }
    const route = routes.find((r) => {
      const methods = Array.isArray(r.method) ? r.method : [r.method];
      return methods.includes(method) && r.pattern.test(url.pathname);
    });
    if (!route) {
      sendError(res, 404, `No route for ${method} ${url.pathname}`);
      return;
    }
    const params = (route.pattern.exec(url.pathname) ?? []).slice(1).map((p) => decodeURIComponent(p ?? ""));
    route.handle(req, res, params).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : err instanceof RegistrationError ? 400 : 500;
      const message = (err as Error).message ?? String(err);
      if (status >= 500) logger.error(`${method} ${url.pathname} failed`, { err: message });
      else logger.warn(`${method} ${url.pathname}: ${message}`);
      if (!res.headersSent) sendError(res, status, status >= 500 ? "Internal server error" : message);
      else res.destroy();
    });
  };
}
