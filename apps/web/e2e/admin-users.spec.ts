import {
  demoAdmin,
  expectAccessible,
  expectNoHorizontalOverflow,
  newUser,
  screenshot,
  signIn,
  signUp,
  trpc,
  expect,
  test,
} from "./support";

test("an admin finds a user, makes them an admin and takes it back, each change audited", async ({
  page: admin,
  newContext,
}) => {
  // The future admin, in a browser of their own; the role is read on every request.
  const userContext = await newContext();
  const userPage = await userContext.newPage();
  const user = newUser("promoted");
  await signUp(userPage, user);
  expect((await userPage.goto("/admin"))?.status()).toBe(403);

  await signIn(admin, demoAdmin);
  await admin.goto("/admin/users");
  await expect(admin.getByRole("heading", { name: "Users" })).toBeVisible();
  await admin.getByLabel("Search by email or username").fill(user.email);
  const row = admin.getByTestId("user-row").filter({ hasText: user.username });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("User", { exact: true })).toBeVisible();
  await row.getByRole("button", { name: `Make admin: ${user.email}` }).click();
  await expect(row.getByText("Admin", { exact: true })).toBeVisible();

  const granted = admin.getByTestId("role-audit-entry").filter({ hasText: user.email }).first();
  await expect(granted).toContainText(`${demoAdmin.email} granted the admin role to ${user.email}`);
  await expect(granted).toContainText("via admin page");
  await expectAccessible(admin);
  await screenshot(admin, "admin-users-desktop");

  expect((await userPage.goto("/admin"))?.status()).toBe(200);

  await admin.setViewportSize({ width: 375, height: 812 });
  await expectNoHorizontalOverflow(admin);
  await screenshot(admin, "admin-users-phone");
  await admin.setViewportSize({ width: 1280, height: 900 });

  await row.getByRole("button", { name: `Remove admin: ${user.email}` }).click();
  await expect(row.getByText("User", { exact: true })).toBeVisible();
  await expect(admin.getByTestId("role-audit-entry").first()).toContainText(
    `${demoAdmin.email} revoked the admin role of ${user.email}`,
  );
  expect((await userPage.goto("/admin"))?.status()).toBe(403);
  await userContext.close();
});

test("a non-admin cannot list users or change roles", async ({ page }) => {
  const user = newUser("climber");
  await signUp(page, user);
  expect((await page.goto("/admin/users"))?.status()).toBe(403);
  const listed = await trpc(page, "query", "admin.users.list", {});
  expect(listed.status()).toBe(403);
});
