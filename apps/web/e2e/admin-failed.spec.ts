import {
  controlClient,
  demoAdmin,
  expectAccessible,
  mailboxUrl,
  newUser,
  signIn,
  signUp,
  expect,
  test,
} from "./support";

test("a delivery that failed for good is announced on /admin, and one click lists the failures", async ({
  page: admin,
  newPage,
}) => {
  const control = await controlClient();
  const userPage = await newPage();
  const user = newUser("bounced");
  await signUp(userPage, user);
  // The mail service refuses the next email for good (no retry helps).
  const failed = await control.post(`${mailboxUrl}/__mailbox/fail`, {
    data: { count: 1, status: 422, name: "validation_error", message: "Invalid `to` field.", to: user.email },
  });
  expect(failed.ok()).toBe(true);
  const renamed = `${user.username.slice(0, 24)}_fail`;
  await userPage.getByLabel("Username").fill(renamed);
  await userPage.getByRole("button", { name: "Save changes" }).click();
  await expect(userPage.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await userPage.context().close();

  await signIn(admin, demoAdmin);
  await admin.goto("/admin");
  const alert = admin.getByTestId("failed-alert");
  await expect(alert).toContainText(/failed for good and no retry is waiting/, { timeout: 20_000 });
  await expect(alert.locator(".badge--failed")).toHaveText(/\d+ failed/);
  await expectAccessible(admin);

  await alert.getByRole("link", { name: "Show failed deliveries" }).click();
  await expect(admin).toHaveURL(/[?&]status=failed/);
  await expect(admin.getByLabel("Status")).toHaveValue("failed");
  const row = admin
    .getByRole("table", { name: /deliveries/i })
    .getByRole("row")
    .filter({ hasText: renamed });
  await expect(row).toContainText(/failed/i);
  await control.dispose();
});
