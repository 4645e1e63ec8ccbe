// The approach this project replaces: after commit, a BullMQ job on Redis; a worker sends the
// same email and push through the same SDKs (resend, web-push), retried by BullMQ as a whole.
import { randomUUID } from "node:crypto";
import type { Agent } from "node:https";
import { Queue, Worker } from "bullmq";
import type pg from "pg";
import type { Resend } from "resend";
import webpush from "web-push";
import {
  buildPushPayload,
  describeUserAgent,
  pushTopic,
  renderProfileUpdatedEmail,
  summarizeChanges,
} from "@acme/jobs";
import type { CommittedChange } from "./server";

export interface NotifyQueueOptions {
  pool: pg.Pool;
  redis: { host: string; port: number };
  queueName: string;
  concurrency: number;
  resend: Resend;
  vapid: { publicKey: string; privateKey: string; subject: string };
  pushAgent?: Agent;
  appUrl: string;
  emailFrom: string;
}

type ProfileChanges = Parameters<typeof summarizeChanges>[0];

interface ChangeRow {
  id: string;
  userId: string;
  changes: ProfileChanges;
  createdAt: Date;
  ipAddress: string | null;
  userAgent: string | null;
  email: string;
  username: string;
}

interface DeviceRow {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface NotifyQueue {
  enqueue(change: CommittedChange): Promise<void>;
  close(): Promise<void>;
}

export async function startNotifyQueue(options: NotifyQueueOptions): Promise<NotifyQueue> {
  const { redis, queueName } = options;
  const queue = new Queue<CommittedChange>(queueName, { connection: redis });
  await queue.obliterate({ force: true });
  const worker = new Worker<CommittedChange>(queueName, (job) => notify(options, job.data), {
    connection: redis,
    concurrency: options.concurrency,
  });
  worker.on("failed", (job, error) => console.error(`[baseline] job ${job?.id} failed: ${error.message}`));
  return {
    async enqueue(change) {
      // The job id de-duplicates a repeated enqueue of the same change.
      await queue.add("notify", change, {
        jobId: change.changeId,
        attempts: 6,
        backoff: { type: "exponential", delay: 1_000 },
        removeOnComplete: true,
        removeOnFail: 1_000,
      });
    },
    async close() {
      await worker.close();
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    },
  };
}

async function notify(options: NotifyQueueOptions, { changeId }: CommittedChange): Promise<void> {
  const { pool } = options;
  const { rows } = await pool.query<ChangeRow>(
    `SELECT pc.id, pc."userId", pc.changes, pc."createdAt", pc."ipAddress", pc."userAgent", u.email, u.username
     FROM "ProfileChange" pc JOIN "User" u ON u.id = pc."userId" WHERE pc.id = $1`,
    [changeId],
  );
  const change = rows[0];
  if (!change) return;
  const devices = await pool.query<DeviceRow>(
    `SELECT id, endpoint, p256dh, auth FROM "PushSubscription" WHERE "userId" = $1 ORDER BY "createdAt"`,
    [change.userId],
  );
  const rendered = await renderProfileUpdatedEmail({
    username: change.changes.username?.to ?? change.username,
    changes: summarizeChanges(change.changes).lines,
    changedAt: change.createdAt,
    device: describeUserAgent(change.userAgent),
    ipAddress: change.ipAddress,
    profileUrl: `${options.appUrl}/profile`,
    supportUrl: `${options.appUrl}/support`,
  });
  const email = { from: options.emailFrom, to: change.email, ...rendered };
  const payload = buildPushPayload(change.id, 0, change.changes, options.appUrl);

  const [sent] = await Promise.all([
    options.resend.emails.send(
      { from: email.from, to: [email.to], subject: email.subject, html: email.html, text: email.text },
      { idempotencyKey: `profile-change/${change.id}/email/0` },
    ),
    ...devices.rows.map((device) =>
      webpush.sendNotification(
        { endpoint: device.endpoint, keys: { p256dh: device.p256dh, auth: device.auth } },
        JSON.stringify(payload),
        {
          TTL: 24 * 60 * 60,
          urgency: "high",
          topic: pushTopic(change.id),
          vapidDetails: options.vapid,
          timeout: 10_000,
          ...(options.pushAgent && { agent: options.pushAgent }),
        },
      ),
    ),
  ]);
  if (sent.error) throw new Error(`email: ${sent.error.name}: ${sent.error.message}`);

  // A record of what was sent, like the app's Delivery rows (one statement, one commit).
  const targets = [
    { channel: "email", target: change.email, deviceId: null, content: email },
    ...devices.rows.map((d) => ({ channel: "push", target: d.endpoint, deviceId: d.id, content: payload })),
  ];
  await pool.query(
    `INSERT INTO "Delivery" (id, channel, status, target, "pushSubscriptionId", "userId", "profileChangeId", "eventId",
       attempts, "providerMessageId", content, "createdAt", "updatedAt", "sentAt")
     SELECT t.id, t.channel::"DeliveryChannel", 'sent', t.target, t.device, $1, $2, $2, 1, $3, t.content, now(), now(), clock_timestamp()
     FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[]) AS t(id, channel, target, device, content)
     ON CONFLICT ("profileChangeId", channel, target) DO NOTHING`,
    [
      change.userId,
      change.id,
      sent.data?.id ?? null,
      targets.map(() => randomUUID()),
      targets.map((t) => t.channel),
      targets.map((t) => t.target),
      targets.map((t) => t.deviceId),
      targets.map((t) => JSON.stringify(t.content)),
    ],
  );
}
