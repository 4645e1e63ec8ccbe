import type { Page } from "@playwright/test";
import { expect, test } from "./support";

// The service worker as the device: a push for a change it already showed (a repeat after a crash or
// a lost answer) is dropped without a second alert; a newer change still shows. Pushes are delivered
// to the real service worker through the DevTools protocol, as a push service would.
async function visibleNotifications(page: Page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({ title: n.title, tag: n.tag, body: n.body }));
  });
}

async function closeAll(page: Page) {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    for (const notification of await registration.getNotifications()) notification.close();
  });
}

test("the service worker shows each change once per device and still alerts for a newer one", async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(["notifications"]);
  await page.goto("/sign-in");
  const cdp = await context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  const registered = new Promise<string>((resolve) => {
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const ours = registrations.find((r) => r.scopeURL === `${baseURL}/` && !r.isDeleted);
      if (ours) resolve(ours.registrationId);
    });
  });
  await page.evaluate(async () => {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    await navigator.serviceWorker.ready;
  });
  const registrationId = await registered;
  const push = (payload: object) =>
    cdp.send("ServiceWorker.deliverPushMessage", {
      origin: new URL(baseURL!).origin,
      registrationId,
      data: JSON.stringify(payload),
    });
  const message = (changeId: string, generation = 0) => ({
    title: "Your profile has been updated",
    body: `Change ${changeId}`,
    url: "/profile",
    tag: `profile-change-${changeId}`,
    changeId,
    generation,
  });

  await push(message("change-a"));
  await expect
    .poll(() => visibleNotifications(page))
    .toEqual([{ title: "Your profile has been updated", tag: "profile-change-change-a", body: "Change change-a" }]);

  // The user dismisses it; the same change arrives again (the sender's retry): nothing reappears.
  await closeAll(page);
  await push(message("change-a"));
  await push(message("change-a", 1));
  // A newer change after the repeats: it shows, and the repeats did not.
  await push(message("change-b"));
  await expect
    .poll(() => visibleNotifications(page))
    .toEqual([{ title: "Your profile has been updated", tag: "profile-change-change-b", body: "Change change-b" }]);
});
