import { controlClient, createPushSubscription, newUser, pushesFor, signUp, trpc, expect, test } from "./support";

test("push opt-in registers the service worker, and an update reaches the user's device encrypted", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["notifications"]);
  const user = newUser("pushy");
  await signUp(page, user);

  // The page-level flow, as far as this Chromium allows: it has no route to a browser push
  // service, so subscribing may fail — the page must then say so instead of pretending.
  const toggle = page.getByRole("switch");
  await expect(toggle).toBeEnabled();
  await toggle.click();
  await expect
    .poll(
      () => page.evaluate(async () => (await navigator.serviceWorker.getRegistration("/"))?.active?.scriptURL ?? null),
      { timeout: 15_000 },
    )
    .toMatch(/\/sw\.js$/);
  // One of the two outcomes, in words, and the switch agrees with it.
  const outcome = page.getByRole("status").filter({
    hasText: /Notifications are on for this device|could not reach its push service/,
  });
  await expect(outcome).toBeVisible();
  const subscribed = (await outcome.textContent())!.includes("Notifications are on");
  await expect(toggle).toHaveAttribute("aria-checked", String(subscribed));

  // A subscription pointing at the local push service, stored for this user through the API.
  const keyResponse = await trpc(page, "query", "push.publicKey");
  const publicKey = ((await keyResponse.json()) as { result: { data: { json: { publicKey: string } } } }).result.data
    .json.publicKey;
  const control = await controlClient();
  const device = await createPushSubscription(control, publicKey);
  const stored = await trpc(page, "mutation", "push.subscribe", { ...device.subscription, expirationTime: null });
  expect(stored.ok()).toBe(true);

  await page.reload();
  await page.getByLabel("Phone number").fill("+44 20 7946 0958");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  // First the notice that this device was added, then the change, each with its "this wasn't me" link.
  await expect.poll(async () => (await pushesFor(control, device.id)).length, { timeout: 20_000 }).toBe(2);
  const pushes = await pushesFor(control, device.id);
  expect(pushes.map((p) => (p.json as { title: string }).title).sort()).toEqual([
    "A new device receives your notifications",
    "Your profile has been updated",
  ]);
  const push = pushes.find((p) => (p.json as { title: string }).title === "Your profile has been updated");
  expect(push!.json).toMatchObject({
    body: expect.stringContaining("phone number ending in 58 added"),
    url: expect.stringMatching(/\/secure#[A-Za-z0-9._-]+$/),
  });
  expect(push!.urgency).toBe("high");
  await control.dispose();
});
