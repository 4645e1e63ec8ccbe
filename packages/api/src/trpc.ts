import { randomUUID } from "node:crypto";
import { initTRPC, TRPCError } from "@trpc/server";
import { z, ZodError } from "zod";
import type { Auth, Session } from "@acme/auth";
import { getSessionFromHeaders } from "@acme/auth";
import type { Database } from "@acme/db";
import type { ServerConfig } from "@acme/config";
import { RequestSlots } from "./middleware/concurrency";
import type { OutboxRelay } from "./outbox/relay";
import { ForbiddenKeyError, transformer } from "./transformer";
import { requestMetaFromHeaders, type RequestMeta } from "./request-meta";

export type { RequestMeta } from "./request-meta";

/** The part of the server configuration the procedures read. */
export type ApiConfig = Pick<
  ServerConfig,
  "defaultPhoneRegion" | "mailbox" | "inngest" | "security" | "secureLinks"
> & {
  vapidPublicKey: string | null;
};

export function apiConfigFrom(config: ServerConfig): ApiConfig {
  return {
    defaultPhoneRegion: config.defaultPhoneRegion,
    vapidPublicKey: config.push.vapid?.publicKey ?? null,
    mailbox: config.mailbox,
    inngest: config.inngest,
    security: config.security,
    secureLinks: config.secureLinks,
  };
}

export interface ContextInner {
  db: Database;
  session: Session | null;
  relay: Pick<OutboxRelay, "dispatchSoon">;
  config: ApiConfig;
  request: RequestMeta;
  /** Bounds the procedures of one HTTP request running at once; absent for direct callers. */
  slots?: RequestSlots;
  /** better-auth, for flows the API starts itself (a password reset); null where none is needed (tests). */
  auth: Auth | null;
}

/** Builds a context without HTTP: used by tests through createCaller, and by createTRPCContext. */
export function createContextInner(opts: ContextInner): ContextInner {
  return opts;
}

export async function createTRPCContext(
  opts: Omit<ContextInner, "session" | "request" | "auth"> & { headers: Headers; auth: Auth },
) {
  const { headers, auth, ...rest } = opts;
  const session = await getSessionFromHeaders(auth, headers);
  return createContextInner({
    ...rest,
    auth,
    session,
    request: requestMetaFromHeaders(headers),
    slots: new RequestSlots(rest.config.security.api.requestConcurrency),
  });
}

export type Context = ContextInner;

/** Field-level error details that clients show next to form inputs. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A per-user limit was reached: answered 429 with Retry-After. */
export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ErrorDetails {
  message: string;
  /** Messages per input field, for forms; null when the error is not about a field. */
  fieldErrors: Record<string, string[]> | null;
  formErrors: string[] | null;
  /** For TOO_MANY_REQUESTS: whole seconds until the limit resets (also the Retry-After header). */
  retryAfterSeconds?: number;
}

/** What clients see of an error: zod issues become "field: rule" messages and per-field lists. */
export function describeError(error: TRPCError): ErrorDetails {
  const cause = error.cause;
  if (cause instanceof ZodError) {
    const flat = z.flattenError(cause);
    return {
      message: cause.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; "),
      fieldErrors: flat.fieldErrors,
      formErrors: flat.formErrors,
    };
  }
  if (cause instanceof ForbiddenKeyError)
    return { message: cause.message, fieldErrors: null, formErrors: [cause.message] };
  if (cause instanceof RateLimitedError)
    return { message: error.message, fieldErrors: null, formErrors: null, retryAfterSeconds: cause.retryAfterSeconds };
  if (cause instanceof FieldError)
    return { message: error.message, fieldErrors: { [cause.field]: [cause.message] }, formErrors: null };
  return { message: error.message, fieldErrors: null, formErrors: null };
}

/** A server fault as clients see it: nothing of its cause, a reference to find it in the log. */
function internalErrorDetails(error: TRPCError, path: string | undefined): ErrorDetails {
  const reference = randomUUID().slice(0, 8);
  console.error(`[trpc] internal error ${reference} in ${path ?? "?"}:`, error.cause ?? error);
  return {
    message: `Something went wrong on our side (reference ${reference})`,
    fieldErrors: null,
    formErrors: null,
  };
}

const t = initTRPC.context<Context>().create({
  transformer,
  isDev: false,
  errorFormatter({ shape, error, path }) {
    const details = error.code === "INTERNAL_SERVER_ERROR" ? internalErrorDetails(error, path) : describeError(error);
    return {
      ...shape,
      message: details.message,
      data: {
        ...shape.data,
        fieldErrors: details.fieldErrors,
        formErrors: details.formErrors,
        retryAfterSeconds: details.retryAfterSeconds ?? null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(({ ctx, next }) => (ctx.slots ? ctx.slots.run(next) : next()));
export const createMiddleware = t.middleware;

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  return next({ ctx: { ...ctx, session: ctx.session } });
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.session.user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Admins only" });
  return next();
});
