// Reading back what the local services received, and registering push devices.
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { BENCH_USER_AGENT } from "../lib/load";

/** JSON over HTTPS to the local push service, trusting exactly its certificate. */
export function pushControl<T>(
  origin: string,
  certFile: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const ca = readFileSync(certFile, "utf8");
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { method, ca, headers: { "content-type": "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if ((res.statusCode ?? 500) >= 400) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
        else resolve(JSON.parse(text) as T);
      });
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

interface CreatedSubscription {
  id: string;
  subscription: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
}

/** One device per user: a subscription at the push service, registered through the app's push.subscribe. */
export async function registerDevices(options: {
  appUrl: string;
  pushOrigin: string;
  certFile: string;
  vapidPublicKey: string;
  users: readonly { bearer: string }[];
}): Promise<void> {
  for (const user of options.users) {
    const created = await pushControl<CreatedSubscription>(
      options.pushOrigin,
      options.certFile,
      "POST",
      "/__push/subscriptions",
      {
        applicationServerKey: options.vapidPublicKey,
      },
    );
    const response = await fetch(`${options.appUrl}/api/trpc/push.subscribe`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${user.bearer}`,
        "user-agent": BENCH_USER_AGENT,
      },
      body: JSON.stringify({ json: created.subscription }),
    });
    if (!response.ok) throw new Error(`push.subscribe answered ${response.status}: ${await response.text()}`);
  }
}

/** When each change's email reached the mailbox and its push the push service (ms since epoch). */
export interface Arrivals {
  email: Map<string, number>;
  push: Map<string, number>;
}

const EMAIL_KEY = /^profile-change\/(.+)\/email\/\d+$/;
const PUSH_TAG = /^profile-change-(.+)$/;

export async function readArrivals(mailboxUrl: string, pushOrigin: string, certFile: string): Promise<Arrivals> {
  const mailbox = (await (await fetch(`${mailboxUrl}/__mailbox/messages`)).json()) as {
    data: { idempotencyKey: string | null; createdAt: string }[];
  };
  const email = new Map<string, number>();
  for (const message of mailbox.data) {
    const changeId = EMAIL_KEY.exec(message.idempotencyKey ?? "")?.[1];
    if (changeId) email.set(changeId, Math.min(email.get(changeId) ?? Infinity, Date.parse(message.createdAt)));
  }
  const pushes = await pushControl<{ messages: { receivedAt: string; json: unknown }[] }>(
    pushOrigin,
    certFile,
    "GET",
    "/__push/messages",
  );
  const push = new Map<string, number>();
  for (const message of pushes.messages) {
    const tag = (message.json as { tag?: unknown } | null)?.tag;
    const changeId = typeof tag === "string" ? PUSH_TAG.exec(tag)?.[1] : undefined;
    if (changeId) push.set(changeId, Math.min(push.get(changeId) ?? Infinity, Date.parse(message.receivedAt)));
  }
  return { email, push };
}

export async function clearMailbox(mailboxUrl: string): Promise<void> {
  await fetch(`${mailboxUrl}/__mailbox/messages`, { method: "DELETE" });
}
