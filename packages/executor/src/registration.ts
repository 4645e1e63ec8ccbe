// Turns an SDK sync payload (out-of-band `POST /fn/register` or an in-band `PUT` response)
// into the function definitions the executor stores. Pure, so it is unit-tested directly.
import { compileExpression } from "./expression";
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
  maxAttempts: number;
  idempotency?: string;
  concurrencyLimit?: number;
  /** Config the embedded executor ignores or cannot honour, reported at sync time. */
  warnings: string[];
  config: JsonObject;
}

export interface AppRegistration {
  appId: string;
  url: string;
  sdk?: string;
  framework?: string;
  functions: FunctionDefinition[];
  warnings: string[];
}

// Flow-control features that change when or whether runs start; we accept the sync but say
// loudly that they are ignored so nobody relies on them locally.
const ignoredConfigKeys: Record<string, string> = {
  batchEvents: "batchEvents (each event starts its own run)",
  rateLimit: "rateLimit",
  throttle: "throttle",
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

  const warnings: string[] = [];
  const functions = body.functions.map((raw, i) => {
    const fn = parseFunction(raw, appId, i);
    warnings.push(...fn.warnings.map((w) => `${fn.slug}: ${w}`));
    return fn;
  });

  return {
    appId,
    url,
    sdk: typeof body.sdk === "string" ? body.sdk : undefined,
    framework: typeof body.framework === "string" ? body.framework : undefined,
    functions,
    warnings,
  };
}

function parseFunction(raw: unknown, appId: string, index: number): FunctionDefinition {
  if (!isObject(raw) || typeof raw.id !== "string" || !raw.id) {
    throw new RegistrationError(`functions[${index}] has no id`);
  }
  const slug = raw.id;
  const warnings: string[] = [];

  const steps = isObject(raw.steps) ? raw.steps : {};
  const step = isObject(steps.step) ? steps.step : Object.values(steps).find(isObject);
  const runtime = step && isObject(step.runtime) ? step.runtime : undefined;
  const stepUrl = runtime && typeof runtime.url === "string" ? runtime.url : "";
  if (!stepUrl) throw new RegistrationError(`${slug}: no step runtime URL`);
  if (runtime?.type === "ws") warnings.push("connect (ws) runtime is not supported; calling it over HTTP");

  const retries = step && isObject(step.retries) ? step.retries.attempts : undefined;
  const maxAttempts = maxAttemptsFromRetries(typeof retries === "number" ? retries : undefined);

  const triggers: EventTrigger[] = [];
  for (const t of Array.isArray(raw.triggers) ? raw.triggers : []) {
    if (!isObject(t)) continue;
    if (typeof t.cron === "string") {
      warnings.push(`cron trigger "${t.cron}" is not supported by the embedded executor and is ignored`);
      continue;
    }
    if (typeof t.event !== "string") continue;
    const expression = typeof t.expression === "string" && t.expression.trim() ? t.expression : undefined;
    if (expression) {
      try {
        compileExpression(expression);
      } catch (err) {
        warnings.push(
          `trigger expression "${expression}" is not supported (${(err as Error).message}); the trigger will never match`,
        );
      }
    }
    triggers.push(expression ? { event: t.event, expression } : { event: t.event });
  }

  let idempotency: string | undefined;
  if (typeof raw.idempotency === "string" && raw.idempotency.trim()) {
    idempotency = raw.idempotency;
    try {
      compileExpression(idempotency);
    } catch (err) {
      warnings.push(`idempotency expression "${idempotency}" is not supported (${(err as Error).message}); ignored`);
      idempotency = undefined;
    }
  }

  const concurrencyLimit = parseConcurrency(raw.concurrency, warnings);

  for (const [key, label] of Object.entries(ignoredConfigKeys)) {
    if (raw[key] !== undefined && raw[key] !== null) {
      warnings.push(`${label} is not supported by the embedded executor and is ignored`);
    }
  }

  return {
    slug,
    name: typeof raw.name === "string" && raw.name ? raw.name : slug,
    appId,
    stepUrl,
    triggers,
    maxAttempts,
    ...(idempotency ? { idempotency } : {}),
    ...(concurrencyLimit !== undefined ? { concurrencyLimit } : {}),
    warnings,
    config: JSON.parse(JSON.stringify(raw)) as JsonObject,
  };
}

function parseConcurrency(value: unknown, warnings: string[]): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return value > 0 ? value : undefined;
  const options = Array.isArray(value) ? value : [value];
  let limit: number | undefined;
  for (const opt of options) {
    if (!isObject(opt) || typeof opt.limit !== "number") continue;
    if (opt.key !== undefined || (opt.scope !== undefined && opt.scope !== "fn")) {
      warnings.push(
        `concurrency with key/scope (${JSON.stringify(opt)}) is not supported; only function-wide limits apply`,
      );
      continue;
    }
    if (opt.limit > 0) limit = limit === undefined ? opt.limit : Math.min(limit, opt.limit);
  }
  return limit;
}
