// Control endpoints for out-of-process use (Playwright, other services). They only ever
// listen on loopback by default.
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import type { FailOptions, FailStatus } from "./failures";
import { HttpError, readJsonObject } from "./http";
import type { CreatedSubscription, CreateSubscriptionOptions, ReceivedPush } from "./push-service";

export interface ControlContext {
  createSubscription(options?: CreateSubscriptionOptions): CreatedSubscription;
  hasSubscription(id: string): boolean;
  received(subscriptionId?: string): ReceivedPush[];
  failNext(subscriptionId: string, n: number, status: FailStatus, options?: FailOptions): void;
  clearFailures(): void;
  expire(subscriptionId: string): void;
  reset(): void;
}

const failRequest = z.object({
  subscription: z.string().default("*"),
  count: z.number().int().default(1),
  status: z.union([z.number().int(), z.literal("reset")], { error: '`status` is required (a number or "reset").' }),
  retryAfterSeconds: z.number().int().min(0).optional(),
  afterAccept: z.boolean().optional(),
});

export async function handleControl(
  ctx: ControlContext,
  req: IncomingMessage,
  method: string,
  path: string,
  query: URLSearchParams,
): Promise<unknown> {
  if (path === "/__push/subscriptions" && method === "POST") {
    const key = (await readJsonObject(req))["applicationServerKey"];
    return ctx.createSubscription(typeof key === "string" ? { applicationServerKey: key } : {});
  }
  if (path === "/__push/messages" && method === "GET") {
    return { messages: ctx.received(query.get("subscription") ?? undefined) };
  }
  if (path === "/__push/fail" && method === "POST") {
    const parsed = failRequest.safeParse(await readJsonObject(req));
    if (!parsed.success) throw new HttpError(400, parsed.error.issues.map((i) => i.message).join("; "));
    const { subscription, count, status, ...options } = parsed.data;
    try {
      ctx.failNext(subscription, count, status, options);
    } catch (err) {
      throw new HttpError(400, (err as Error).message);
    }
    return { ok: true };
  }
  if (path === "/__push/fail" && method === "DELETE") {
    ctx.clearFailures();
    return { ok: true };
  }
  if (path === "/__push/expire" && method === "POST") {
    const id = (await readJsonObject(req))["subscription"];
    if (typeof id !== "string" || !ctx.hasSubscription(id)) throw new HttpError(404, "Subscription not found.");
    ctx.expire(id);
    return { ok: true };
  }
  if (path === "/__push/reset" && method === "POST") {
    ctx.reset();
    return { ok: true };
  }
  throw new HttpError(404, "Not found.");
}
