// The executor's HTTP API: the endpoints the SDK calls (events, sync, checkpoints) and a
// read-only inspection API shaped like Inngest's REST API (`/v1/runs/:id`, `/v1/events/:id/runs`).
import type http from "node:http";
import type { Logger } from "./log";
import { isObject, type JsonObject, type JsonValue } from "./json";
import { parseOp, type SdkOp } from "./ops";
import { parseRegistration, RegistrationError } from "./registration";
import type { EventInput, RunRecord, StepRecord, Store } from "./store";

export interface ServerDeps {
  store: Store;
  logger: Logger;
  leaseMs: number;
  /** Called after anything that may have created due work. */
  onWork: () => void;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, "Request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "Request body is not valid JSON");
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function parseEvents(body: unknown): EventInput[] {
  const list = Array.isArray(body) ? body : [body];
  if (list.length === 0) return [];
  const now = Date.now();
  return list.map((raw, i) => {
    const where = Array.isArray(body) ? `event[${i}]` : "event";
    if (!isObject(raw)) throw new HttpError(400, `${where} must be a JSON object`);
    if (typeof raw.name !== "string" || !raw.name.trim()) throw new HttpError(400, `${where} has no name`);
    if (raw.data !== undefined && raw.data !== null && !isObject(raw.data)) {
      throw new HttpError(400, `${where}.data must be an object`);
    }
    if (raw.id !== undefined && raw.id !== null && typeof raw.id !== "string") {
      throw new HttpError(400, `${where}.id must be a string`);
    }
    const ts = typeof raw.ts === "number" && Number.isFinite(raw.ts) && raw.ts > 0 ? raw.ts : now;
    const event: EventInput = { name: raw.name, data: (raw.data ?? {}) as JsonObject, ts };
    if (typeof raw.id === "string" && raw.id) event.id = raw.id;
    if (typeof raw.v === "string") event.v = raw.v;
    if (isObject(raw.user)) event.user = raw.user as JsonObject;
    return event;
  });
}

export function createRequestHandler(deps: ServerDeps): http.RequestListener {
  const { store, logger } = deps;

  const routes: Array<{
    method: string | string[];
    pattern: RegExp;
    handle: (req: http.IncomingMessage, res: http.ServerResponse, params: string[], url: URL) => Promise<void>;
  }> = [
    {
      method: "POST",
      pattern: /^\/e\/([^/]+)$/,
      handle: async (req, res) => {
        const events = parseEvents(await readJson(req));
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
        logger.info(`synced app "${reg.appId}" (${reg.functions.length} functions) from ${reg.url}`);
        for (const w of reg.warnings) logger.warn(w);
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
          send(res, 409, { error: "Stale dispatch: this queue item is no longer leased", status: 409 });
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
        send(res, 501, {
          error: "Sync checkpointing (durable endpoints / StepMode.Sync) is not supported by the embedded executor",
          status: 501,
        });
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
        const run = await store.getRunRecord(runId);
        if (!run) throw new HttpError(404, "run not found");
        send(res, 200, { data: runView(run, await store.getSteps(run.id)) });
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/events\/([^/]+)\/runs$/,
      handle: async (_req, res, [eventId = ""]) => {
        const event = await store.findEvent(eventId);
        const runs = event ? await store.getRunsForEvent(event.internalId) : [];
        const data = await Promise.all(runs.map(async (r) => runView(r, await store.getSteps(r.id))));
        send(res, 200, { data, metadata: { fetched_at: new Date().toISOString(), cached_until: null } });
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/events\/([^/]+)$/,
      handle: async (_req, res, [eventId = ""]) => {
        const event = await store.findEvent(eventId);
        if (!event) throw new HttpError(404, "event not found");
        send(res, 200, {
          data: { internal_id: event.internalId, received_at: event.receivedAt.toISOString(), ...event.payload },
        });
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/functions$/,
      handle: async (_req, res) => {
        const fns = await store.listFunctions();
        send(res, 200, {
          data: fns.map((f) => ({
            id: f.slug,
            name: f.name,
            app_id: f.appId,
            url: f.stepUrl,
            triggers: f.triggers,
            max_attempts: f.maxAttempts,
            idempotency: f.idempotency ?? null,
            concurrency: f.concurrencyLimit ?? null,
            warnings: f.warnings,
          })),
        });
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
    const route = routes.find((r) => {
      const methods = Array.isArray(r.method) ? r.method : [r.method];
      return methods.includes(method) && r.pattern.test(url.pathname);
    });
    if (!route) {
      send(res, 404, { error: `No route for ${method} ${url.pathname}`, status: 404 });
      return;
    }
    const params = (route.pattern.exec(url.pathname) ?? []).slice(1).map((p) => decodeURIComponent(p ?? ""));
    route.handle(req, res, params, url).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : err instanceof RegistrationError ? 400 : 500;
      const message = (err as Error).message ?? String(err);
      if (status >= 500) logger.error(`${method} ${url.pathname} failed`, { err: message });
      else logger.warn(`${method} ${url.pathname}: ${message}`);
      if (!res.headersSent) send(res, status, { error: message, status });
      else res.destroy();
    });
  };
}

/** Run shape for the inspection API; field names follow Inngest's REST API where one exists. */
export interface RunView {
  run_id: string;
  function_id: string;
  status: string;
  event_id: string;
  event: JsonObject;
  output: JsonValue;
  error: JsonValue;
  run_started_at: string | null;
  created_at: string;
  ended_at: string | null;
  steps: StepView[];
  history: JsonValue[];
}

export interface StepView {
  id: string;
  name: string | null;
  display_name: string | null;
  op: string | null;
  status: string;
  attempts: number;
  output: JsonValue;
  error: JsonValue;
  errors: JsonValue[];
  wake_at: string | null;
  created_at: string;
  ended_at: string | null;
}

export function runView(run: RunRecord, steps: StepRecord[]): RunView {
  const order = new Map(run.stack.map((id, i) => [id, i]));
  const sorted = [...steps].sort(
    (a, b) =>
      (order.get(a.stepId) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.stepId) ?? Number.MAX_SAFE_INTEGER) ||
      a.createdAt.getTime() - b.createdAt.getTime(),
  );
  return {
    run_id: run.id,
    function_id: run.functionSlug,
    status: run.status,
    event_id: run.eventInternalId,
    event: run.event,
    output: run.status === "Failed" ? run.error : run.output,
    error: run.error,
    run_started_at: run.startedAt?.toISOString() ?? null,
    created_at: run.createdAt.toISOString(),
    ended_at: run.endedAt?.toISOString() ?? null,
    steps: sorted.map((s) => ({
      id: s.stepId,
      name: s.name,
      display_name: s.displayName,
      op: s.op,
      status: s.status,
      attempts: s.attempts,
      output: s.output,
      error: s.error,
      errors: s.errors,
      wake_at: s.wakeAt?.toISOString() ?? null,
      created_at: s.createdAt.toISOString(),
      ended_at: s.endedAt?.toISOString() ?? null,
    })),
    history: run.history,
  };
}
