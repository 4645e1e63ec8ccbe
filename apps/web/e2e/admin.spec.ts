import {
  changeUsername,
  controlClient,
  demoAdmin,
  emailsTo,
  expectAccessible,
  mailboxUrl,
  newUser,
  screenshot,
  signIn,
  signUp,
  trpc,
  expect,
  test,
} from "./support";

test("an admin watches a user's deliveries go to sent, filters, reads the email and retries a failure", async ({
  newPage,
}) => {
  // The longest story in the suite: it waits on the pipeline three times.
  test.slow();
  const control = await controlClient();
  const userPage = await newPage();
  const user = newUser("watched");
  await signUp(userPage, user);
  await changeUsername(userPage, `${user.username.slice(0, 25)}_v2`);
  const renamedAgain = `${user.username.slice(0, 25)}_v3`;

  const admin = await newPage();
  await signIn(admin, demoAdmin);
  await admin.goto("/admin");
  await admin.getByLabel("Search").fill(user.email);
  const table = admin.getByRole("table", { name: /deliveries/i });
  // Lists mask emails (u***@example.com): rows are found by username.
  const renamed = `${user.username.slice(0, 25)}_v2`;
  const emailRow = table.getByRole("row").filter({ hasText: /email/i }).filter({ hasText: renamed }).first();
  await expect(emailRow).toContainText(/sent/i, { timeout: 20_000 });
  await expect(emailRow).not.toContainText(user.email);
  await expect(admin).toHaveURL(/[?&]q=/); // the debounced search has landed; no navigation under way
  await expectAccessible(admin);

  await admin.getByLabel("Status").selectOption("sent");
  await expect(emailRow).toBeVisible();
  await admin.getByLabel("Status").selectOption("failed");
  await expect(table.getByRole("row").filter({ hasText: renamed })).toHaveCount(0);
  await admin.getByLabel("Status").selectOption("");

  await screenshot(admin, "admin-history-desktop");
  await admin.setViewportSize({ width: 375, height: 812 });
  await screenshot(admin, "admin-history-phone");
  await admin.setViewportSize({ width: 1280, height: 800 });

  // The detail view shows the email as the user received it.
  await emailRow.getByRole("link", { name: /details/i }).click();
  await expect(admin).toHaveURL(/\/admin\/deliveries\//);
  const email = admin.frameLocator("iframe").first();
  await expect(email.getByRole("heading", { name: "Your profile has been updated" })).toBeVisible();
  await expect(email.getByRole("link", { name: /this wasn.t me/i })).toBeVisible();
  await expectAccessible(admin);

  // Make the next email fail for good at the mail service, then retry it from the admin.
  const failed = await control.post(`${mailboxUrl}/__mailbox/fail`, {
    data: { count: 1, status: 422, name: "validation_error", message: "Invalid `to` field.", to: user.email },
  });
  expect(failed.ok()).toBe(true);
  await changeUsername(userPage, renamedAgain);
  await admin.goto("/admin");
  await admin.getByLabel("Search").fill(user.email);
  await admin.getByLabel("Status").selectOption("failed");
  const failedRow = table.getByRole("row").filter({ hasText: renamedAgain }).first();
  await expect(failedRow).toContainText(/422/, { timeout: 20_000 });
  await failedRow.getByRole("button", { name: /^Retry/ }).click();
  // The row updates in place, live: retried once, then sent.
  const retriedRow = table
    .getByRole("row")
    .filter({ hasText: renamedAgain })
    .filter({ hasText: /Retry #1/ })
    .first();
  await expect(retriedRow).toContainText(/sent/i, { timeout: 20_000 });
  // "Retry requested for …" was about a failed delivery; it goes once the status has moved on.
  await expect(admin.getByRole("status").filter({ hasText: /Retry requested for the/ })).toHaveCount(0);
  await admin.reload();
  await admin.getByLabel("Status").selectOption("sent");
  await expect(retriedRow).toBeVisible();
  const received = await emailsTo(control, user.email);
  expect(received.length).toBe(2);

  // The email itself, opened on its own, is accessible too.
  const emailPage = await newPage();
  await emailPage.setContent(received[0]!.html);
  await expectAccessible(emailPage);
  await emailPage.close();

  // The mailbox page shows the stored emails, each with what changed and a preview line.
  await admin.goto("/admin/mailbox");
  const entry = admin.getByRole("link").filter({ hasText: user.email }).first();
  await expect(entry).toContainText("Username changed");
  await expect(entry).toContainText(`Username changed from “${renamed}” to “${renamedAgain}”`);
  await expectAccessible(admin);
  await control.dispose();
});

test("a non-admin cannot open /admin or call admin procedures", async ({ page }) => {
  await signUp(page, newUser("nosy"));
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
  expect((await page.goto("/forbidden"))?.status()).toBe(403);
  const api = await trpc(page, "query", "admin.summary");
  expect(api.status()).toBe(403);
});

test("signed-out visitors are sent to sign in", async ({ page }) => {
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/sign-in/);
  await expectAccessible(page);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/support");
  await expect(page.getByRole("heading", { name: /didn.t change your profile/i })).toBeVisible();
  await expectAccessible(page);
});
