import type { APIRequestContext, Page } from "@playwright/test";
import { createPrismaClient } from "@acme/db";
import {
  controlClient,
  demoAdmin,
  emailsTo,
  expectAccessible,
  newUser,
  ports,
  screenshot,
  signIn,
  signUp,
  trpc,
  expect,
  test,
} from "./support";

type Email = Awaited<ReturnType<typeof emailsTo>>[number];

async function waitForEmail(control: APIRequestContext, to: string, subject: string): Promise<Email> {
  let found: Email | undefined;
  await expect
    .poll(async () => (found = (await emailsTo(control, to)).find((m) => m.subject === subject)), {
      message: `"${subject}" to ${to}`,
      timeout: 30_000,
    })
    .toBeTruthy();
  return found!;
}

/** The path of the link in an email's text: `/secure#<token>` or `/reset-password#<token>`. */
function linkPath(email: Email, page: "secure" | "reset-password"): string {
  const match = new RegExp(`https?://[^/\\s]+(/${page}#[A-Za-z0-9._-]+)`).exec(email.text);
  expect(match, `a /${page} link in "${email.subject}"`).not.toBeNull();
  return match![1]!;
}

async function changeProfile(page: Page, username: string, phone: string) {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Phone number").fill(phone);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
}

async function atPhoneSize(page: Page, name: string) {
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize({ width: 375, height: 812 });
  await expectAccessible(page);
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize({ width: 1280, height: 720 });
}

test("'This wasn't me' followed signed out: the profile is restored once, every session ends, and the reset email sets a new password", async ({
  page,
  newPage,
}) => {
  const user = newUser("victim");
  await signUp(page, user);
  await changeProfile(page, `${user.username.slice(0, 24)}_taken`, "(415) 555-0177");
  const control = await controlClient();
  const notice = await waitForEmail(control, user.email, "Your profile has been updated");
  expect(notice.text).toMatch(/This wasn.t me/);

  const outsider = await newPage();
  await outsider.goto(linkPath(notice, "secure"));
  await expect(outsider.getByRole("heading", { name: "Was this you?" })).toBeVisible();
  await expect(outsider.getByText(/username changed from/i)).toBeVisible();
  await expect(outsider.getByText(/phone number ending in 77 added/i)).toBeVisible();
  await expectAccessible(outsider);
  await atPhoneSize(outsider, "secure-link-open");

  // A double click acts once: the page sends one answer, the server acts once per link.
  await outsider.getByRole("button", { name: /this wasn.t me/i }).dblclick();
  const secured = outsider.getByRole("status").filter({ hasText: "Your account is secured" });
  await expect(secured).toBeVisible();
  await expect(secured).toContainText("username and phone number are back as it was");
  await expect(secured).toContainText("1 session was ended");
  await expect(outsider.getByRole("heading", { name: "You reported this change" })).toBeVisible();
  await expectAccessible(outsider);
  await atPhoneSize(outsider, "secure-link-secured");

  // The session that made the change is over.
  await page.reload();
  await expect(page).toHaveURL(/\/sign-in/);

  const reset = await waitForEmail(control, user.email, "Reset your password");
  await waitForEmail(control, user.email, "Your profile has been restored");
  await outsider.goto(linkPath(reset, "reset-password"));
  await outsider.getByLabel("New password", { exact: true }).fill("a-brand-new-pass-7");
  await outsider.getByLabel("Repeat the new password").fill("a-brand-new-pass-7");
  await outsider.getByRole("button", { name: "Set new password" }).click();
  await expect(outsider.getByText(/your password has been changed/i)).toBeVisible();

  await signIn(page, { email: user.email, password: "a-brand-new-pass-7" });
  await page.goto("/profile");
  await expect(page.getByLabel("Username")).toHaveValue(user.username);
  await expect(page.getByLabel("Phone number")).toHaveValue("");
  const activity = page.getByRole("region", { name: /security activity/i });
  await expect(activity.getByText("Your profile has been restored")).toBeVisible();
  await expect(activity.getByText(/reported as not you/)).toBeVisible();
  await expect(activity.getByText("Your password has been reset")).toBeVisible();

  // Opened again, the link is used up; the double click restored and emailed once.
  await outsider.goto(linkPath(notice, "secure"));
  await expect(outsider.getByRole("heading", { name: "You reported this change" })).toBeVisible();
  await expect(outsider.getByRole("button", { name: /this wasn.t me/i })).toHaveCount(0);
  const subjects = (await emailsTo(control, user.email)).map((m) => m.subject);
  expect(subjects.filter((s) => s === "Your profile has been restored")).toHaveLength(1);
  expect(subjects.filter((s) => s === "Reset your password")).toHaveLength(1);
});

test("'This was me' uses the link up; an expired or broken link gives a clear page", async ({ page, newPage }) => {
  const user = newUser("itsme");
  await signUp(page, user);
  await changeProfile(page, `${user.username.slice(0, 25)}_mine`, "(415) 555-0178");
  const control = await controlClient();
  const notice = await waitForEmail(control, user.email, "Your profile has been updated");

  const outsider = await newPage();
  await outsider.goto(linkPath(notice, "secure"));
  await outsider.getByRole("button", { name: "This was me" }).click();
  await expect(outsider.getByRole("heading", { name: "You confirmed this change" })).toBeVisible();
  await outsider.reload();
  await expect(outsider.getByRole("heading", { name: "You confirmed this change" })).toBeVisible();
  await expect(outsider.getByRole("button", { name: "This was me" })).toHaveCount(0);
  // Nothing else changed: still signed in, values kept.
  await page.reload();
  await expect(page.getByLabel("Username")).toHaveValue(`${user.username.slice(0, 25)}_mine`);

  // A second change whose link is older than its lifetime (7 days).
  await page.getByLabel("Phone number").fill("(415) 555-0179");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect.poll(async () => (await emailsTo(control, user.email)).length).toBeGreaterThanOrEqual(2);
  const second = (await emailsTo(control, user.email)).find((m) => m.id !== notice.id && /ending in 79/.test(m.text))!;
  const db = createPrismaClient({
    connectionString: `postgresql://postgres:postgres@127.0.0.1:${ports.postgres}/postgres?sslmode=disable`,
    maxConnections: 1,
  });
  try {
    const changeId = linkPath(second, "secure").slice("/secure#".length).split(".")[0]!;
    await db.profileChange.update({
      where: { id: changeId },
      data: { createdAt: new Date(Date.now() - 8 * 24 * 3_600_000) },
    });
  } finally {
    await db.$disconnect();
  }
  await outsider.goto(linkPath(second, "secure"));
  await expect(outsider.getByRole("heading", { name: "This link has expired" })).toBeVisible();
  await expect(outsider.getByRole("button", { name: /this wasn.t me/i })).toHaveCount(0);
  await expectAccessible(outsider);
  await atPhoneSize(outsider, "secure-link-expired");

  await outsider.goto("/secure#not-a-real-token");
  await expect(outsider.getByRole("heading", { name: "This link cannot be used" })).toBeVisible();
  await expectAccessible(outsider);
});

test("admins see a change reported by the user: a history filter and a flag on the change page", async ({
  page,
  newContext,
}) => {
  const user = newUser("flagged");
  const userContext = await newContext();
  const userPage = await userContext.newPage();
  await signUp(userPage, user);
  await changeProfile(userPage, `${user.username.slice(0, 25)}_flag`, "(415) 555-0181");
  const control = await controlClient();
  const notice = await waitForEmail(control, user.email, "Your profile has been updated");
  const token = linkPath(notice, "secure").slice("/secure#".length);
  const reported = await trpc(userPage, "mutation", "secureLink.report", { token });
  expect(reported.ok()).toBe(true);
  await userContext.close();

  await signIn(page, demoAdmin);
  await page.goto("/admin");
  await page.getByLabel("Changes").selectOption("reported");
  await expect(page).toHaveURL(/reported=1/);
  const row = page
    .getByRole("row")
    .filter({ hasText: user.username.slice(0, 25) })
    .first();
  await expect(row.getByText("Reported by the user")).toBeVisible();
  await expectAccessible(page);
  await atPhoneSize(page, "admin-reported-filter");

  await page.goto(`/admin/changes/${token.split(".")[0]}`);
  await expect(page.getByText("Reported by the user").first()).toBeVisible();
  await expect(page.getByText(/Reported by the user \(/)).toBeVisible();
  await expectAccessible(page);
  await atPhoneSize(page, "admin-reported-change");
});

test("forgot password from the sign-in page: the reset email arrives through the outbox and sets a new password", async ({
  page,
  newContext,
  newPage,
}) => {
  const user = newUser("forgetful");
  const first = await newContext();
  await signUp(await first.newPage(), user);
  await first.close();

  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password/);
  await expectAccessible(page);
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByRole("status")).toContainText("on its way");
  await atPhoneSize(page, "forgot-password-sent");

  const control = await controlClient();
  const reset = await waitForEmail(control, user.email, "Reset your password");
  await page.goto(linkPath(reset, "reset-password"));
  await page.getByLabel("New password", { exact: true }).fill("short");
  await page.getByLabel("Repeat the new password").fill("different");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
  await expect(page.getByText("The two passwords are not the same.")).toBeVisible();
  await expectAccessible(page);
  await atPhoneSize(page, "reset-password-form");
  await page.getByLabel("New password", { exact: true }).fill("forgot-then-reset-9");
  await page.getByLabel("Repeat the new password").fill("forgot-then-reset-9");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText(/your password has been changed/i)).toBeVisible();

  // The same link works once (a fresh page load: only the fragment would differ otherwise).
  await page.goto("about:blank");
  await page.goto(linkPath(reset, "reset-password"));
  await page.getByLabel("New password", { exact: true }).fill("another-password-10");
  await page.getByLabel("Repeat the new password").fill("another-password-10");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText(/already used or has expired/)).toBeVisible();

  await signIn(page, { email: user.email, password: "forgot-then-reset-9" });
  await waitForEmail(control, user.email, "Your password has been reset");

  // The reset email is in the admin history like any notification.
  const admin = await newPage();
  await signIn(admin, demoAdmin);
  await admin.goto(`/admin?q=${encodeURIComponent(user.email)}`);
  await expect(admin.getByRole("link", { name: /password reset requested/ }).first()).toBeVisible();
});

test("password change on /profile needs the current password and signs out the other sessions", async ({
  page,
  newPage,
}) => {
  const user = newUser("changer");
  await signUp(page, user);
  const other = await newPage();
  await signIn(other, user);

  const form = page.getByRole("region", { name: "Password" });
  await form.getByLabel("Current password").fill("not-my-password");
  await form.getByLabel("New password", { exact: true }).fill("changed-password-11");
  await form.getByLabel("Repeat the new password").fill("changed-password-11");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("That is not your current password.")).toBeVisible();
  await expectAccessible(page);

  await form.getByLabel("Current password").fill(user.password);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toContainText("Password changed");
  const activity = page.getByRole("region", { name: /security activity/i });
  await expect(activity.getByText("Your password has been changed")).toBeVisible();
  await atPhoneSize(page, "profile-password-changed");

  // This session stays; the other one is over.
  await page.reload();
  await expect(page).toHaveURL(/\/profile/);
  await other.goto("/profile");
  await expect(other).toHaveURL(/\/sign-in/);
  await signIn(other, { email: user.email, password: "changed-password-11" });

  const control = await controlClient();
  const notice = await waitForEmail(control, user.email, "Your password has been changed");
  linkPath(notice, "secure");
});
