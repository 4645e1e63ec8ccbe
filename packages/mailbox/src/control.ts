// Control endpoints: no auth and no rate limit; they are for tests and the dev UI on loopback.
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { fail } from "./errors";
import { failureSchema, type FailureQueue } from "./failures";
import { readJson } from "./http";
import type { EmailStore } from "./store";

const armFailure = z.object({ count: z.number().int().min(1).default(1) }).passthrough();

export async function handleControl(
  ctx: { store: EmailStore; failures: FailureQueue },
  req: IncomingMessage,
  method: string,
  path: string,
): Promise<unknown> {
  if (path === "/__mailbox/messages" && method === "GET") return { data: ctx.store.list() };
  if (path === "/__mailbox/messages" && method === "DELETE") {
    await ctx.store.clear();
    return { deleted: true };
  }
  const one = /^\/__mailbox\/messages\/([^/]+)$/.exec(path);
  if (one?.[1] && method === "GET") {
    const email = ctx.store.get(decodeURIComponent(one[1]));
    if (!email) throw fail(404, "not_found", "Email not found");
    return email;
  }
  if (path === "/__mailbox/fail" && method === "POST") {
    const { body } = await readJson(req);
    const parsed = armFailure.safeParse(body ?? {});
    if (!parsed.success) throw fail(422, "validation_error", "`count` must be a positive integer.");
    const { count, ...failure } = parsed.data;
    const checked = failureSchema.safeParse(failure);
    if (!checked.success) {
      throw fail(422, "validation_error", checked.error.issues.map((i) => i.message).join("; "));
    }
    ctx.failures.add(count, checked.data);
    return { pending: ctx.failures.count };
  }
  if (path === "/__mailbox/fail" && method === "DELETE") {
    ctx.failures.clear();
    return { pending: 0 };
  }
  throw fail(404, "not_found", "The requested endpoint does not exist.");
}
