import { newUser, signUp, expect, test } from "./support";

// The toggle waits at most 15 s for each step, then says so and is usable again.
const GIVE_UP_WITHIN = 20_000;

test("the push toggle gives up on a browser push service that never answers", async ({ page, context }) => {
  await context.grantPermissions(["notifications"]);
  // A push service that never answers, as a browser behind a blocked network can behave.
  await page.addInitScript(() => {
    PushManager.prototype.subscribe = () => new Promise<PushSubscription>(() => undefined);
  });
  await signUp(page, newUser("stuck"));
  const toggle = page.getByRole("switch");
  await expect(toggle).toBeEnabled();
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-busy", "true");
  await expect(page.getByRole("status")).toContainText("push service did not answer within 15 seconds", {
    timeout: GIVE_UP_WITHIN,
  });
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(toggle).toHaveAttribute("aria-busy", "false");
  await expect(toggle).toBeEnabled();
});

test("the push toggle gives up on a permission request that never answers", async ({ page }) => {
  await page.addInitScript(() => {
    Notification.requestPermission = () => new Promise<NotificationPermission>(() => undefined);
  });
  await signUp(page, newUser("unasked"));
  const toggle = page.getByRole("switch");
  await expect(toggle).toBeEnabled();
  await toggle.click();
  await expect(page.getByRole("status")).toContainText("did not answer the permission request within 15 seconds", {
    timeout: GIVE_UP_WITHIN,
  });
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(toggle).toBeEnabled();
});
