import { expect, test } from "@playwright/test";
import { expectAccessible, newUser, screenshot, signUp, trpc } from "./support";

test("a user signs up, changes username and phone, and sees exactly what changed", async ({ page }) => {
  const user = newUser("pat");
  await signUp(page, user);
  await expect(page.getByLabel("Username")).toHaveValue(user.username);
  await expect(page.getByText(user.email)).toBeVisible();
  await expectAccessible(page);

  const renamed = `${user.username.slice(0, 24)}_new`;
  await page.getByLabel("Username").fill(renamed);
  await page.getByLabel("Phone number").fill("(415) 555-0132");
  await page.getByRole("button", { name: "Save changes" }).click();
  const status = page.getByRole("status").filter({ hasText: "Saved." });
  await expect(status).toBeVisible();
  await expect(status).toContainText(/username/i);
  await expect(status).toContainText(/phone/i);

  await page.reload();
  await expect(page.getByLabel("Username")).toHaveValue(renamed);
  await expect(page.getByLabel("Phone number")).toHaveValue("+14155550132");
  await expect(
    page
      .getByRole("region", { name: /security activity/i })
      .or(page.getByText(/security activity/i))
      .first(),
  ).toBeVisible();

  // Saving the same values is "nothing changed".
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText(/Nothing changed/)).toBeVisible();

  await screenshot(page, "profile-desktop");
  await page.setViewportSize({ width: 375, height: 812 });
  await expectAccessible(page);
  await screenshot(page, "profile-phone");
});

test("field errors: a taken username and an invalid phone number are shown next to the field", async ({
  page,
  browser,
}) => {
  const owner = newUser("owner");
  const ownerContext = await browser.newContext();
  await signUp(await ownerContext.newPage(), owner);
  await ownerContext.close();

  const user = newUser("sam");
  await signUp(page, user);
  await page.getByLabel("Username").fill(owner.username.toUpperCase());
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("That username is already taken")).toBeVisible();
  await expect(page.getByLabel("Username")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Phone number").fill("12345");
  // Checked as you type, with the same rules as the API.
  await expect(page.getByText(/Phone number is not a valid number/)).toBeVisible();
  await expect(page.getByLabel("Phone number")).toHaveAttribute("aria-invalid", "true");

  await page.reload();
  await expect(page.getByLabel("Username")).toHaveValue(user.username);
  await expect(page.getByLabel("Phone number")).toHaveValue("");
});

test("submitting twice quickly sends one update", async ({ page }) => {
  const user = newUser("quick");
  await signUp(page, user);
  await page.getByLabel("Username").fill(`${user.username.slice(0, 24)}_twice`);
  await page.getByRole("button", { name: "Save changes" }).dblclick();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  const response = await trpc(page, "query", "user.activity", { limit: 10 });
  const activity = ((await response.json()) as { result: { data: { json: unknown[] } } }).result.data.json;
  expect(activity).toHaveLength(1);
});
