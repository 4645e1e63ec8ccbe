// Turns an SDK sync payload (out-of-band `POST /fn/register` or an in-band `PUT` response)
// into the function definitions the executor stores. Pure, so it is unit-tested directly.
// Configuration the executor cannot honour is refused here, naming the function and the
// feature, so nothing is silently ignored.
import { validateCron } from "./cron";
import { parseDurationMs } from "./durations";
import { compileExpression } from "./expression";
import type { ConcurrencyLimit, ThrottleConfig } from "./flow";
import { isObject, type JsonObject } from "./json";
import { maxAttemptsFromRetries } from "./retry";

export interface EventTrigger {
  event: string;
  expression?: string;
}

export interface FunctionDefinition {
  /** The SDK's full function id (`<appId>-<fnId>`), used as `fnId` in step URLs. */
  slug: string;
  name: string;
  appId: string;
  stepUrl: string;
  triggers: EventTrigger[];
  crons: string[];
  maxAttempts: number;
  idempotency?: string;
  concurrency: ConcurrencyLimit[];
  throttle?: ThrottleConfig;
  config: JsonObject;
}

export interface AppRegistration {
  appId: string;
  url: string;
  sdk?: string;
  framework?: string;
  functions: FunctionDefinition[];
}

// What users call each config key the executor does not implement.
const unsupportedConfigKeys: Record<string, string> = {
  batchEvents: "batchEvents",
  rateLimit: "rateLimit",
  debounce: "debounce",
  singleton: "singleton",
  cancel: "cancelOn",
  timeouts: "timeouts",
  priority: "priority",
};

export class RegistrationError extends Error {
  override name = "RegistrationError";
}

export function parseRegistration(body: unknown): AppRegistration {
  if (!isObject(body)) throw new RegistrationError("Registration body must be a JSON object");
  const appId =
    (typeof body.appName === "string" && body.appName) || (typeof body.app_id === "string" && body.app_id) || "";
  const url = typeof body.url === "string" ? body.url : "";
  if (!appId) throw new RegistrationError("Registration is missing appName/app_id");
  if (!url) throw new RegistrationError("Registration is missing url");
  if (!Array.isArray(body.functions)) throw new RegistrationError("Registration is missing functions[]");

  const problems: string[] = [];
  const functions = body.functions.map((raw, i) => parseFunction(raw, appId, i, problems));
  if (problems.length > 0) {
    throw new RegistrationError(
      `The embedded executor cannot run app "${appId}" as configured (run it under the Inngest Dev Server, self-hosted Inngest or Inngest Cloud, or remove the feature): ${problems.join("; ")}`,
    );
  }
  return {
    appId,
    url,
    sdk: typeof body.sdk === "string" ? body.sdk : undefined,
    framework: typeof body.framework === "string" ? body.framework : undefined,
    functions,
  };
}

function checkExpression(source: string, what: string, fn: string, problems: string[]): void {
  try {
    compileExpression(source);
  } catch (err) {
    problems.push(`function "${fn}": ${what} "${source}" is not supported (${(err as Error).message})`);
  }
}

function parseFunction(raw: unknown, appId: string, index: number, problems: string[]): FunctionDefinition {
  if (!isObject(raw) || typeof raw.id !== "string" || !raw.id) {
    throw new RegistrationError(`functions[${index}] has no id`);
  }
  const slug = raw.id;
  const refuse = (feature: string) => problems.push(`function "${slug}" uses ${feature}, which is not supported`);

  const steps = isObject(raw.steps) ? raw.steps : {};
  const step = isObject(steps.step) ? steps.step : Object.values(steps).find(isObject);
  const runtime = step && isObject(step.runtime) ? step.runtime : undefined;
  const stepUrl = runtime && typeof runtime.url === "string" ? runtime.url : "";
  if (!stepUrl) throw new RegistrationError(`${slug}: no step runtime URL`);
  if (runtime?.type === "ws") refuse("a Connect (ws) runtime");

  const retries = step && isObject(step.retries) ? step.retries.attempts : undefined;
  const maxAttempts = maxAttemptsFromRetries(typeof retries === "number" ? retries : undefined);

  const triggers: EventTrigger[] = [];
  const crons: string[] = [];
  for (const t of Array.isArray(raw.triggers) ? raw.triggers : []) {
    if (!isObject(t)) continue;
    if (typeof t.cron === "string") {
      if (t.jitter !== undefined && t.jitter !== null) refuse(`cron jitter (${JSON.stringify(t.jitter)})`);
      try {
        validateCron(t.cron);
        crons.push(t.cron);
      } catch (err) {
        problems.push(`function "${slug}": cron "${t.cron}" is invalid (${(err as Error).message})`);
      }
      continue;
    }
    if (typeof t.event !== "string") continue;
    const expression = typeof t.expression === "string" && t.expression.trim() ? t.expression : undefined;
    if (expression) checkExpression(expression, "trigger expression", slug, problems);
    triggers.push(expression ? { event: t.event, expression } : { event: t.event });
  }

  let idempotency: string | undefined;
  if (typeof raw.idempotency === "string" && raw.idempotency.trim()) {
    idempotency = raw.idempotency;
    checkExpression(idempotency, "idempotency key", slug, problems);
  }

  for (const [key, label] of Object.entries(unsupportedConfigKeys)) {
    const value = raw[key];
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) refuse(label);
  }

  return {
    slug,
    name: typeof raw.name === "string" && raw.name ? raw.name : slug,
    appId,
    stepUrl,
    triggers,
    crons,
    maxAttempts,
    ...(idempotency ? { idempotency } : {}),
    concurrency: parseConcurrency(raw.concurrency, slug, problems),
    ...withThrottle(parseThrottle(raw.throttle, slug, problems)),
    config: JSON.parse(JSON.stringify(raw)) as JsonObject,
  };
}

const withThrottle = (throttle: ThrottleConfig | undefined) => (throttle ? { throttle } : {});

/** `concurrency`: a number, `{ limit, key?, scope? }` or a list of up to two such objects. */
function parseConcurrency(value: unknown, slug: string, problems: string[]): ConcurrencyLimit[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "number") return value > 0 ? [{ limit: Math.floor(value), scope: "fn" }] : [];
  const options = Array.isArray(value) ? value : [value];
  if (options.length > 2) problems.push(`function "${slug}": at most 2 concurrency limits are allowed`);
  const limits: ConcurrencyLimit[] = [];
  for (const opt of options) {
    if (!isObject(opt) || typeof opt.limit !== "number") {
      problems.push(`function "${slug}": concurrency ${JSON.stringify(opt)} is not understood`);
      continue;
    }
    const scope = opt.scope ?? "fn";
    if (scope !== "fn" && scope !== "env" && scope !== "account") {
      problems.push(`function "${slug}": concurrency scope ${JSON.stringify(scope)} is not understood`);
      continue;
    }
    const key = typeof opt.key === "string" && opt.key.trim() ? opt.key : undefined;
    if (scope !== "fn" && key === undefined) {
      problems.push(`function "${slug}": a concurrency key is required for "${scope}" scoped limits`);
      continue;
    }
    if (key !== undefined) checkExpression(key, "concurrency key", slug, problems);
    // A limit of 0 means "no limit" in Inngest.
    if (opt.limit > 0) limits.push({ limit: Math.floor(opt.limit), scope, ...(key !== undefined ? { key } : {}) });
  }
  return limits;
}

/** `throttle`: `{ limit, period, burst?, key? }` with `period` a duration like "1m". */
function parseThrottle(value: unknown, slug: string, problems: string[]): ThrottleConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const periodMs = isObject(value) && typeof value.period === "string" ? parseDurationMs(value.period) : undefined;
  if (!isObject(value) || !periodMs || periodMs <= 0) {
    problems.push(`function "${slug}": throttle ${JSON.stringify(value)} needs a limit and a period such as "1m"`);
    return undefined;
  }
  const key = typeof value.key === "string" && value.key.trim() ? value.key : undefined;
  if (key !== undefined) checkExpression(key, "throttle key", slug, problems);
  const limit = typeof value.limit === "number" && value.limit > 0 ? Math.floor(value.limit) : 1;
  const burst = typeof value.burst === "number" && value.burst > 0 ? Math.floor(value.burst) : 0;
  return { limit, periodMs, burst, ...(key !== undefined ? { key } : {}) };
}
