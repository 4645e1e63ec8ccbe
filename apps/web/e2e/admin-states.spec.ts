import type { Page } from "@playwright/test";
import {
  changeUsername,
  controlClient,
  demoAdmin,
  expectAccessible,
  expectNoHorizontalOverflow,
  mailboxUrl,
  newUser,
  screenshot,
  signIn,
  signUp,
  expect,
  test,
} from "./support";

/** The page is no wider than the window, and every row's actions are fully on screen. */
async function expectFits(page: Page) {
  await expectNoHorizontalOverflow(page);
  const viewport = page.viewportSize()!;
  for (const action of await page
    .getByRole("table", { name: /deliveries/i })
    .getByRole("link", { name: /^Details/ })
    .all()) {
    const box = (await action.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
  }
}

/** A user whose profile change is being retried after the mail service asked to come back later. */
async function retryingUser(newPage: () => Promise<Page>) {
  const control = await controlClient();
  const userPage = await newPage();
  const user = newUser("retry");
  await signUp(userPage, user);
  const failed = await control.post(`${mailboxUrl}/__mailbox/fail`, {
    data: { count: 1, status: 429, retryAfterSeconds: 45, to: user.email },
  });
  expect(failed.ok()).toBe(true);
  const renamed = `${user.username.slice(0, 24)}_wait`;
  await changeUsername(userPage, renamed);
  await userPage.context().close();
  await control.dispose();
  return { user, renamed };
}

test("a delivery waiting after a 429 says it is retrying, with its attempt and when; its timeline and run are in the app", async ({
  page,
  newPage,
}) => {
  const { user, renamed } = await retryingUser(newPage);
  await signIn(page, demoAdmin);
  await page.goto(`/admin?q=${encodeURIComponent(user.email)}`);
  const row = page
    .getByRole("table", { name: /deliveries/i })
    .getByRole("row")
    .filter({ hasText: renamed })
    .filter({ hasText: /email/i });
  await expect(row).toContainText("Retrying", { timeout: 20_000 });
  // The run's budget comes from the function (not this test), so only its shape is fixed here.
  await expect(row).toContainText(/Retrying\s*attempt 2 of \d+, next in \d+ s/);
  await expect(row).toContainText(/429/);
  await screenshot(page, "admin-retrying");
  await expectAccessible(page);

  await row.getByRole("link", { name: /^Details/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Email to");
  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(timeline).toContainText("Attempt 1");
  await expect(timeline).toContainText("provider answered 429");
  await expect(timeline).toContainText(/took \d+(\.\d+)? (ms|s)/);
  await expect(timeline).toContainText(/Retrying — attempt 2 of \d+, next in \d+ s/);
  // Inngest's view of the run, read through the embedded executor's run API.
  await expect(timeline).toContainText("Running");
  await screenshot(page, "admin-delivery-timeline");
  await expectAccessible(page);

  // The run has its own page inside the app (the embedded executor has no UI to link to).
  await timeline.getByRole("link", { name: /^01/ }).first().click();
  await expect(page).toHaveURL(/\/admin\/runs\//);
  await expect(page.getByRole("region", { name: "As Inngest sees it" })).toContainText("Running");
  await expect(page.getByRole("region", { name: /Delivery tries in this run/ })).toContainText("provider answered 429");
  await expect(page.getByRole("link", { name: /Open in Inngest/ })).toHaveCount(0);
  await expectAccessible(page);

  // The user has no push devices: no push delivery at all (not a skipped or failed one), and the
  // change's page says so in a neutral note.
  await page.goto(`/admin?q=${encodeURIComponent(user.email)}`);
  const rows = page
    .getByRole("table", { name: /deliveries/i })
    .getByRole("row")
    .filter({ hasText: renamed });
  await expect(rows.filter({ hasText: /email/i })).toHaveCount(1);
  await expect(rows.filter({ hasText: /skipped|no push devices/i })).toHaveCount(0);
  await rows
    .first()
    .getByRole("link", { name: /change/ })
    .click();
  await expect(page).toHaveURL(/\/admin\/changes\//);
  await expect(page.getByText("No push notification: the user had no push devices")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Notifications (1)" })).toBeVisible();
});

test("the history fits at 1280 and 375 px, with a compact list on phones and the chart with its table", async ({
  page,
  newPage,
}) => {
  await retryingUser(newPage);
  await signIn(page, demoAdmin);
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.goto("/admin");
    await expect(
      page
        .getByRole("table", { name: /deliveries/i })
        .getByRole("row")
        .nth(1),
    ).toBeVisible();
    await expectFits(page);
    await screenshot(page, `admin-history-${width}`);
    await expectAccessible(page);
  }
  // Rows on a phone stay a list, not a wall: each is at most five short lines (the old cards were ~500 px).
  const rows = await page
    .getByRole("table", { name: /deliveries/i })
    .getByRole("row")
    .all();
  const heights = await Promise.all(rows.slice(1, 6).map(async (row) => (await row.boundingBox())!.height));
  for (const height of heights) expect(height).toBeLessThan(180);

  await page.setViewportSize({ width: 1280, height: 900 });
  const chart = page.getByRole("figure", { name: /Deliveries per hour, last 24 hours/ });
  await expect(chart.getByRole("img")).toHaveAttribute("aria-label", /deliveries in the last 24 hours/);
  await chart.getByText("Show the numbers as a table").click();
  const table = chart.getByRole("table");
  await expect(table.getByRole("row")).toHaveCount(25);
  const totals = await table.locator("tbody tr td:last-child").allTextContents();
  expect(totals.map((t) => Number(t.replace(/\D/g, ""))).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  await screenshot(page, "admin-chart");
  await expectAccessible(page);
});

test("retry all asks in a dialog that says how many deliveries it will retry, and the summary follows", async ({
  page,
  newPage,
}) => {
  const control = await controlClient();
  const userPage = await newPage();
  const user = newUser("bulk");
  await signUp(userPage, user);
  await control.post(`${mailboxUrl}/__mailbox/fail`, {
    data: { count: 1, status: 422, name: "validation_error", message: "Invalid `to` field.", to: user.email },
  });
  await changeUsername(userPage, `${user.username.slice(0, 24)}_bulk`);

  await signIn(page, demoAdmin);
  await page.goto(`/admin?status=failed&q=${encodeURIComponent(user.email)}`);
  const table = page.getByRole("table", { name: /deliveries/i });
  await expect(table.getByRole("row").filter({ hasText: /422/ })).toHaveCount(1, { timeout: 20_000 });
  const failedBefore = Number(
    (await page
      .getByRole("heading", { name: /Last hour/ })
      .locator("..")
      .getByRole("definition")
      .nth(2)
      .textContent())!,
  );

  const opener = page.getByRole("button", { name: /Retry all failed matching/ });
  await opener.click();
  const dialog = page.getByRole("dialog", { name: "Retry failed deliveries?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("1 failed delivery matches the current filters");
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await screenshot(page, "admin-retry-dialog");
  await expectAccessible(page);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();

  await opener.click();
  await dialog.getByRole("button", { name: "Retry 1 delivery" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Queued 1 retry." })).toBeVisible();
  // The summary is refreshed with the list, not ten seconds later.
  await expect
    .poll(
      async () =>
        Number(
          await page
            .getByRole("heading", { name: /Last hour/ })
            .locator("..")
            .getByRole("definition")
            .nth(2)
            .textContent(),
        ),
      { timeout: 8_000 },
    )
    .toBeLessThan(failedBefore);
  await control.dispose();
});
