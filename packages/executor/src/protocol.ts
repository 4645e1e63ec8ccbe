// Wire types and pure helpers for Inngest's SDK <-> executor HTTP protocol.
// Nothing here does I/O, so it is unit-testable without a database or the SDK.
import { createHash, createHmac, randomBytes } from "node:crypto";

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
// `undefined` members are allowed because JSON.stringify drops them.
export type JsonObject = { [key: string]: JsonValue | undefined };

/** Op codes the SDK sends back (mirrors `StepOpCode` in the inngest SDK). */
export const StepOpCode = {
  WaitForSignal: "WaitForSignal",
  WaitForEvent: "WaitForEvent",
  Step: "Step",
  StepRun: "StepRun",
  StepError: "StepError",
  StepFailed: "StepFailed",
  StepPlanned: "StepPlanned",
  Sleep: "Sleep",
  StepNotFound: "StepNotFound",
  InvokeFunction: "InvokeFunction",
  AiGateway: "AIGateway",
  Gateway: "Gateway",
  RunComplete: "RunComplete",
  DiscoveryRequest: "DiscoveryRequest",
  DeferAdd: "DeferAdd",
  DeferAbort: "DeferAbort",
} as const;
export type StepOpCodeValue = (typeof StepOpCode)[keyof typeof StepOpCode];

/** What each unsupported op is called in user code, for error messages. */
const unsupportedOps: Record<string, string> = {
  [StepOpCode.InvokeFunction]: "step.invoke()",
  [StepOpCode.WaitForEvent]: "step.waitForEvent()",
  [StepOpCode.WaitForSignal]: "step.waitForSignal()",
  [StepOpCode.AiGateway]: "step.ai.infer()",
  [StepOpCode.Gateway]: "step.fetch()/gateway requests",
  [StepOpCode.DeferAdd]: "defer()",
  [StepOpCode.DeferAbort]: "defer().abort()",
};

export const HeaderKeys = {
  Signature: "x-inngest-signature",
  NoRetry: "x-inngest-no-retry",
  RetryAfter: "retry-after",
  RequestVersion: "x-inngest-req-version",
  ServerKind: "x-inngest-server-kind",
  SyncKind: "x-inngest-sync-kind",
  EventIdSeed: "x-inngest-event-id-seed",
} as const;

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  [key: string]: JsonValue | undefined;
}

/** An op as returned by the SDK in a 206 response or an async checkpoint. */
export interface SdkOp {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  data?: JsonValue;
  error?: JsonValue;
  opts?: JsonObject;
  /** The user's own step id (`step.run("this-id", ...)`), when the SDK reports it. */
  userlandId?: string;
}

/** Memoized step state as the SDK's `stepSchema` expects it. */
export type MemoizedStep = { type: "data"; data: JsonValue } | { type: "error"; error: SerializedError };

/** Request body POSTed to the SDK's serve endpoint (see `parseFnData` in the SDK). */
export interface SdkRequestBody {
  event: JsonObject;
  events: JsonObject[];
  steps: Record<string, MemoizedStep>;
  ctx: {
    run_id: string;
    fn_id?: string;
    qi_id?: string;
    step_id: string;
    attempt: number;
    max_attempts: number;
    stack: { stack: string[]; current: number };
    disable_immediate_execution: boolean;
    use_api: false;
    env: string;
  };
  version: number;
  use_api: false;
}

export type SdkResult =
  | { kind: "complete"; output: JsonValue; version?: number }
  | { kind: "ops"; ops: SdkOp[]; noRetry: boolean; retryAfterMs?: number; version?: number }
  | { kind: "error"; error: SerializedError; retriable: boolean; retryAfterMs?: number; version?: number };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function hashStepId(id: string): string {
  return createHash("sha1").update(id).digest("hex");
}

/** Normalizes anything thrown or returned as an error into the SDK's serialized shape. */
export function toSerializedError(value: unknown, fallbackMessage = "Unknown error"): SerializedError {
  if (value instanceof Error) {
    return { name: value.name || "Error", message: value.message || fallbackMessage, stack: value.stack ?? "" };
  }
  if (isObject(value)) {
    const message =
      typeof value.message === "string" && value.message
        ? value.message
        : typeof value.error === "string" && value.error
          ? value.error
          : fallbackMessage;
    const out: SerializedError = {
      ...(JSON.parse(JSON.stringify(value)) as JsonObject),
      name: typeof value.name === "string" && value.name ? value.name : "Error",
      message,
    };
    if (typeof value.stack === "string") out.stack = value.stack;
    return out;
  }
  if (typeof value === "string" && value) return { name: "Error", message: value };
  return { name: "Error", message: fallbackMessage };
}

/** Parses a `retry-after` header (seconds or an HTTP/ISO date) into a delay in ms. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.max(0, Math.round(Number(trimmed) * 1000));
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

function parseVersion(value: string | null): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isInteger(n) ? n : undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!text.trim()) return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export function parseOp(value: unknown): SdkOp | undefined {
  if (!isObject(value) || typeof value.id !== "string" || typeof value.op !== "string") return undefined;
  const op: SdkOp = { id: value.id, op: value.op };
  if (typeof value.name === "string") op.name = value.name;
  if (typeof value.displayName === "string") op.displayName = value.displayName;
  if ("data" in value) op.data = (value.data ?? null) as JsonValue;
  if ("error" in value && value.error !== undefined) op.error = value.error as JsonValue;
  if (isObject(value.opts)) op.opts = value.opts as JsonObject;
  if (isObject(value.userland) && typeof value.userland.id === "string") op.userlandId = value.userland.id;
  return op;
}

/**
 * Interprets one SDK response the way Inngest's HTTP driver does:
 * 200 = function finished, 206 = ops, anything else = a function-level error
 * (400 or `x-inngest-no-retry: true` are permanent).
 */
export function parseSdkResponse(status: number, headers: Headers, bodyText: string): SdkResult {
  const version = parseVersion(headers.get(HeaderKeys.RequestVersion));
  const noRetryHeader = headers.get(HeaderKeys.NoRetry);
  const noRetry = noRetryHeader?.toLowerCase() === "true";
  const retryAfterMs = parseRetryAfter(headers.get(HeaderKeys.RetryAfter));
  const parsed = parseJson(bodyText);

  if (status === 200) {
    if (!parsed.ok) {
      return {
        kind: "error",
        error: { name: "Error", message: `SDK returned 200 with a non-JSON body: ${bodyText.slice(0, 300)}` },
        retriable: true,
        version,
      };
    }
    return { kind: "complete", output: (parsed.value ?? null) as JsonValue, version };
  }

  if (status === 206 && parsed.ok) {
    const raw = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
    const ops = raw.map(parseOp);
    if (ops.length > 0 && ops.every((op): op is SdkOp => op !== undefined)) {
      return { kind: "ops", ops, noRetry, retryAfterMs, version };
    }
    return {
      kind: "error",
      error: { name: "Error", message: `SDK returned 206 without valid ops: ${bodyText.slice(0, 300)}` },
      retriable: true,
      version,
    };
  }

  const error =
    parsed.ok && isObject(parsed.value)
      ? toSerializedError(parsed.value, `SDK responded with HTTP ${status}`)
      : {
          name: "Error",
          message: `SDK responded with HTTP ${status}${bodyText ? `: ${bodyText.slice(0, 500)}` : ""}`,
        };
  return { kind: "error", error, retriable: !(status === 400 || noRetry), retryAfterMs, version };
}

/** Returns a human-readable reason when an op code is outside what the embedded executor implements. */
export function unsupportedOpReason(op: string): string | undefined {
  const known = new Set<string>([
    StepOpCode.Step,
    StepOpCode.StepRun,
    StepOpCode.StepError,
    StepOpCode.StepFailed,
    StepOpCode.StepPlanned,
    StepOpCode.Sleep,
    StepOpCode.RunComplete,
    StepOpCode.DiscoveryRequest,
    StepOpCode.StepNotFound,
  ]);
  if (known.has(op)) return undefined;
  const what = unsupportedOps[op];
  return what
    ? `${what} (op "${op}") is not supported by the embedded executor; run this function under the Inngest Dev Server or Inngest Cloud`
    : `Unknown step op "${op}" is not supported by the embedded executor`;
}

// Inngest's default retry schedule (pkg/backoff TableBackoff): fixed steps plus up to 30 s jitter.
const backoffTableMs = [15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 1200e3, 2400e3, 3600e3, 7200e3];

/**
 * Delay before retry number `attempt + 1` after attempt `attempt` (0-based) failed.
 * With `baseDelayMs` (tests, local dev) the schedule is `base * 2^attempt`, capped at 60 s.
 */
export function retryDelayMs(attempt: number, baseDelayMs?: number, random: () => number = Math.random): number {
  if (baseDelayMs !== undefined) return Math.min(baseDelayMs * 2 ** Math.max(0, attempt), 60_000);
  const index = Math.min(Math.max(0, attempt), backoffTableMs.length - 1);
  return (backoffTableMs[index] ?? 7200e3) + Math.floor(random() * 30_000);
}

/** Function `retries` (number of retries, default 3) to total attempts. */
export function maxAttemptsFromRetries(retries: number | undefined): number {
  const r = typeof retries === "number" && Number.isFinite(retries) ? Math.max(0, Math.floor(retries)) : 3;
  return r + 1;
}

const durationRe = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** A Sleep op's `name` is either a duration like "1h30m5s" or an ISO timestamp (sleepUntil). */
export function parseSleepUntil(name: string, now = Date.now()): Date | undefined {
  const m = durationRe.exec(name.trim());
  if (m && name.trim() !== "") {
    const [, w, d, h, min, s, ms] = m.map((x) => Number(x ?? 0));
    const total =
      (w ?? 0) * 604_800_000 +
      (d ?? 0) * 86_400_000 +
      (h ?? 0) * 3_600_000 +
      (min ?? 0) * 60_000 +
      (s ?? 0) * 1000 +
      (ms ?? 0);
    return new Date(now + total);
  }
  const at = Date.parse(name);
  return Number.isNaN(at) ? undefined : new Date(at);
}

// ---------------------------------------------------------------------------
// ULIDs (run and event ids), including the SDK's seeded event ids.

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function encodeUlid(timeMs: number, entropy: bigint): string {
  let time = "";
  let t = Math.max(0, Math.floor(timeMs));
  for (let i = 0; i < 10; i++) {
    time = crockford[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let rand = "";
  let e = entropy & ((1n << 80n) - 1n);
  for (let i = 0; i < 16; i++) {
    rand = crockford[Number(e % 32n)] + rand;
    e /= 32n;
  }
  return time + rand;
}

const bytesToBigInt = (bytes: Uint8Array): bigint => bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);

export function ulid(now = Date.now()): string {
  return encodeUlid(now, bytesToBigInt(randomBytes(10)));
}

/**
 * The SDK sends `x-inngest-event-id-seed: <millis>,<base64 10 bytes>` so that a retried
 * send yields the same event ids; the n-th event gets entropy + n.
 */
export function seededUlid(seed: string, index: number): string | undefined {
  const [millisRaw, entropyRaw] = seed.split(",");
  const millis = Number(millisRaw);
  if (!Number.isFinite(millis) || !entropyRaw) return undefined;
  const entropy = Buffer.from(entropyRaw, "base64");
  if (entropy.length !== 10) return undefined;
  return encodeUlid(millis, bytesToBigInt(entropy) + BigInt(index));
}

// ---------------------------------------------------------------------------
// Request signing (X-Inngest-Signature), as verified by the SDK in cloud mode.

/** RFC 8785-style canonical JSON: the SDK canonicalizes the parsed body before verifying. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function signBody(body: string, signingKey: string, nowMs = Date.now()): string {
  const ts = Math.round(nowMs / 1000).toString();
  const key = signingKey.replace(/^signkey-[\w]+-/, "");
  const mac = createHmac("sha256", key).update(body).update(ts).digest("hex");
  return `t=${ts}&s=${mac}`;
}

// ---------------------------------------------------------------------------
// A small CEL subset for trigger `if`/`expression` filters and idempotency keys:
// paths (event.data.x, event.data["x"]), literals, == != < <= > >=, && || !, +, ().

type Token = { t: "num"; v: number } | { t: "str"; v: string } | { t: "id"; v: string } | { t: "op"; v: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let out = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\" && j + 1 < src.length) {
          out += src[j + 1];
          j += 2;
        } else {
          out += src[j];
          j++;
        }
      }
      if (j >= src.length) throw new Error("Unterminated string literal");
      tokens.push({ t: "str", v: out });
      i = j + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      tokens.push({ t: "num", v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      tokens.push({ t: "id", v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|&&|\|\||[<>!().[\]+])/.exec(src.slice(i));
    if (op) {
      tokens.push({ t: "op", v: op[0] });
      i += op[0].length;
      continue;
    }
    throw new Error(`Unexpected character "${c}"`);
  }
  return tokens;
}

type Node =
  | { k: "lit"; v: JsonValue | undefined }
  | { k: "path"; root: string; keys: string[] }
  | { k: "not"; e: Node }
  | { k: "bin"; op: string; l: Node; r: Node };

function parse(tokens: Token[]): Node {
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => {
    const t = peek();
    return t?.t === "op" && t.v === v;
  };
  const expectOp = (v: string) => {
    if (!isOp(v)) throw new Error(`Expected "${v}"`);
    pos++;
  };
  const binary = (next: () => Node, ops: string[]) => (): Node => {
    let left = next();
    for (;;) {
      const t = peek();
      if (t?.t === "op" && ops.includes(t.v)) {
        pos++;
        left = { k: "bin", op: t.v, l: left, r: next() };
      } else return left;
    }
  };
  const primary = (): Node => {
    const t = peek();
    if (!t) throw new Error("Unexpected end of expression");
    pos++;
    if (t.t === "num" || t.t === "str") return { k: "lit", v: t.v };
    if (t.t === "op" && t.v === "(") {
      const e = or();
      expectOp(")");
      return e;
    }
    if (t.t === "op" && t.v === "!") return { k: "not", e: primary() };
    if (t.t === "id") {
      if (t.v === "true" || t.v === "false") return { k: "lit", v: t.v === "true" };
      if (t.v === "null") return { k: "lit", v: null };
      const keys: string[] = [];
      for (;;) {
        if (isOp(".")) {
          pos++;
          const k = peek();
          if (k?.t !== "id") throw new Error("Expected a field name after '.'");
          pos++;
          keys.push(k.v);
        } else if (isOp("[")) {
          pos++;
          const k = peek();
          if (k?.t !== "str" && k?.t !== "num") throw new Error("Expected a literal index");
          pos++;
          keys.push(String(k.v));
          expectOp("]");
        } else break;
      }
      return { k: "path", root: t.v, keys };
    }
    throw new Error(`Unexpected token "${String(t.v)}"`);
  };
  const add = binary(primary, ["+"]);
  const cmp = binary(add, ["==", "!=", "<", "<=", ">", ">="]);
  const and = binary(cmp, ["&&"]);
  const or: () => Node = binary(and, ["||"]);
  const node = or();
  if (pos !== tokens.length) throw new Error(`Unexpected token "${String(tokens[pos]?.v)}"`);
  return node;
}

function evaluate(node: Node, vars: Record<string, unknown>): unknown {
  switch (node.k) {
    case "lit":
      return node.v;
    case "path": {
      let cur: unknown = vars[node.root];
      for (const key of node.keys) {
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<string, unknown>)[key];
      }
      return cur;
    }
    case "not":
      return !evaluate(node.e, vars);
    case "bin": {
      if (node.op === "&&") return Boolean(evaluate(node.l, vars)) && Boolean(evaluate(node.r, vars));
      if (node.op === "||") return Boolean(evaluate(node.l, vars)) || Boolean(evaluate(node.r, vars));
      const l = evaluate(node.l, vars);
      const r = evaluate(node.r, vars);
      switch (node.op) {
        case "==":
          return jsonEqual(l ?? null, r ?? null);
        case "!=":
          return !jsonEqual(l ?? null, r ?? null);
        case "+":
          if (typeof l === "number" && typeof r === "number") return l + r;
          return `${stringifyScalar(l)}${stringifyScalar(r)}`;
        default: {
          if (!((typeof l === "number" && typeof r === "number") || (typeof l === "string" && typeof r === "string")))
            return false;
          if (node.op === "<") return l < r;
          if (node.op === "<=") return l <= r;
          if (node.op === ">") return l > r;
          return l >= r;
        }
      }
    }
  }
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function stringifyScalar(v: unknown): string {
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

export interface CompiledExpression {
  source: string;
  evaluate(vars: Record<string, unknown>): unknown;
}

/** Throws with a readable message when the expression uses unsupported syntax. */
export function compileExpression(source: string): CompiledExpression {
  const ast = parse(tokenize(source));
  return { source, evaluate: (vars) => evaluate(ast, vars) };
}

/** Trigger event names may end in `*` wildcards (e.g. `app/user.*`). */
export function eventNameMatches(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  return re.test(name);
}

/** Evaluates an idempotency expression into a key; `undefined` when it yields nothing usable. */
export function idempotencyKey(expression: CompiledExpression, event: JsonObject): string | undefined {
  const value = expression.evaluate({ event });
  if (value === undefined || value === null || value === "") return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}
