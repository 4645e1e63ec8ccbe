import { afterAll, beforeAll, expect, it } from "vitest";
import { startHarness, waitFor, type Harness } from "./harness";

// A push service that keeps failing: the delivery is retried until the horizon, then failed with
// the reason, while the email of the same change is sent normally.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ retryBaseDelayMs: 100 });
  // The horizon is minutes in configuration; shortened here so the test sees it pass.
  h.config.delivery.retryHorizonMs = 1_500;
});
afterAll(async () => {
  await h?.stop();
});

it("gives a transient push failure up once the retry horizon has passed, recording every try", async () => {
  const { userId, api } = await h.signUp("horizon@example.com", "horizon_user");
  const device = h.push.createSubscription({ applicationServerKey: h.vapidPublicKey });
  await api.push.subscribe.mutate(device.subscription);
  h.push.failNext(device.id, 1_000, 503);
  await api.user.update.mutate({ username: "horizon_renamed" });

  const push = await waitFor(
    async () => {
      const row = await h.database.db.delivery.findFirst({ where: { userId, channel: "push" } });
      return row?.status === "failed" ? row : null;
    },
    { what: "the push delivery to fail at the horizon" },
  );
  const startedTrying = push.openedAt.getTime();
  const attempts = await h.database.db.deliveryAttempt.findMany({
    where: { deliveryId: push.id },
    orderBy: { attempt: "asc" },
  });
  expect(attempts.length).toBeGreaterThan(1);
  expect(attempts.at(-1)!.outcome).toBe("failed");
  expect(attempts.slice(0, -1).every((a) => a.outcome === "queued")).toBe(true);
  expect(attempts.at(-1)!.createdAt.getTime() - startedTrying).toBeGreaterThanOrEqual(1_500);
  expect(push.lastError).toMatch(/503/);
  const email = await waitFor(
    () => h.database.db.delivery.findFirst({ where: { userId, channel: "email", status: "sent" } }),
    { what: "the email to be sent" },
  );
  expect(email.attempts).toBe(1);
});
