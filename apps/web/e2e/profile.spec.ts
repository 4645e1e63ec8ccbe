import { expectAccessible, newUser, screenshot, signUp, trpc, expect, test } from "./support";

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
  // Stored E.164, shown formatted.
  await expect(page.getByLabel("Phone number")).toHaveValue("+1 415 555 0132");
  await expect(page.getByRole("definition").filter({ hasText: "+1 415 555 0132" })).toBeVisible();
  await expect(
    page
      .getByRole("region", { name: /security activity/i })
      .or(page.getByText(/security activity/i))
      .first(),
  ).toBeVisible();

  // Nothing to save until something changes; the same number typed another way is no change.
  const save = page.getByRole("button", { name: "Save changes" });
  await expect(save).toBeDisabled();
  await page.getByLabel("Phone number").fill("(415) 555-0132");
  await expect(save).toBeDisabled();
  await page.getByLabel("Username").fill(`${renamed.slice(0, 27)}_x2`);
  await expect(save).toBeEnabled();
  await page.getByLabel("Username").fill(renamed);
  await expect(save).toBeDisabled();

  await screenshot(page, "profile-desktop");
  await page.setViewportSize({ width: 375, height: 812 });
  await expectAccessible(page);
  await screenshot(page, "profile-phone");
});

test("field errors: a taken username and an invalid phone number are shown next to the field", async ({
  page,
  newContext,
}) => {
  const owner = newUser("owner");
  const ownerContext = await newContext();
  await signUp(await ownerContext.newPage(), owner);
  await ownerContext.close();

  const user = newUser("sam");
  await signUp(page, user);
  // Handled errors are the form's business, not console errors (which raise Next's issue badge in dev).
  // The browser's own network line for a 409 is not a console.error call and is left out.
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
      consoleErrors.push(message.text());
  });
  await page.getByLabel("Username").fill(owner.username.toUpperCase());
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("That username is already taken")).toBeVisible();
  await expect(page.getByLabel("Username")).toHaveAttribute("aria-invalid", "true");
  expect(consoleErrors).toEqual([]);

  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Phone number").fill("12345");
  // Checked as you type, with the same rules as the API; the hint does not repeat the error's formats.
  await expect(page.getByText(/Phone number is not a valid number/)).toBeVisible();
  await expect(page.getByLabel("Phone number")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(/International format/)).toHaveCount(0);

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

test("an empty sign-up says what each field needs and puts the cursor on the first", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page.getByText("Enter your email address.")).toBeVisible();
  await expect(page.getByText("Choose a username.")).toBeVisible();
  await expect(page.getByText(/Choose a password of at least 8 characters/)).toBeVisible();
  await expect(page.getByLabel("Email")).toBeFocused();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/sign-up$/);
  await expectAccessible(page);

  // Filling the first moves the focus on the next submit to the next field still empty.
  await page.getByLabel("Email").fill("someone@example.com");
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page.getByLabel("Username")).toBeFocused();
});

test("a field typed while another save is in flight is kept, and saved next", async ({ page }) => {
  const user = newUser("typist");
  await signUp(page, user);
  // Hold the first save until the user has typed a phone number.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/trpc/user.update**", async (route) => {
    await held;
    await route.continue();
  });
  const renamed = `${user.username.slice(0, 24)}_infl`;
  await page.getByLabel("Username").fill(renamed);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("button", { name: "Saving…" })).toBeVisible();
  await page.getByLabel("Phone number").fill("+44 20 7946 0958");
  release();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toContainText(/username/i);
  await expect(page.getByLabel("Phone number")).toHaveValue("+44 20 7946 0958");
  await expect(page.getByLabel("Username")).toHaveValue(renamed);
  await page.unroute("**/api/trpc/user.update**");

  await page.getByRole("button", { name: "Save changes" }).click();
  const saved = page.getByRole("status").filter({ hasText: "Saved." });
  await expect(saved).toContainText("Phone number added: +44 20 7946 0958");
  await expect(saved).not.toContainText(/username/i);
});

test("sign-up and profile render without console errors (no hydration mismatch)", async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  await page.goto("/sign-up");
  await expect(page.getByRole("button", { name: /create account|sign up/i })).toBeEnabled();
  const user = newUser("calm");
  await signUp(page, user);
  await page.getByLabel("Phone number").fill("(415) 555-0199");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  // A full load of /profile with a device list and activity to render on the server and the client.
  await page.reload();
  await expect(page.getByText(/security activity/i).first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(consoleErrors).toEqual([]);
});
