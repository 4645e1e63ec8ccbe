import type { Page } from "@playwright/test";
import { demoAdmin, newUser, signIn, signUp, trpc, expect, test } from "./support";

/** Every CSP violation the page reports, from the console and from the DOM event. */
function collectCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  void page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) =>
      console.error(`Content-Security-Policy violation: ${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  return violations;
}

test("pages and API answers carry the security headers", async ({ page }) => {
  for (const path of ["/sign-in", "/api/trpc/push.publicKey", "/api/auth/ok"]) {
    const response = await page.request.get(path);
    const headers = response.headers();
    expect(headers["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"], path).toContain("object-src 'none'");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"], path).toContain("camera=()");
  }
  // A fresh nonce per response.
  const [a, b] = [await page.request.get("/sign-in"), await page.request.get("/sign-in")];
  expect(a.headers()["content-security-policy"]).not.toBe(b.headers()["content-security-policy"]);
});

test("the app's pages run under the strict CSP without a single violation", async ({ page }) => {
  const violations = collectCspViolations(page);
  const user = newUser("csp");
  await signUp(page, user);
  await page.getByLabel("Username").fill(`${user.username.slice(0, 24)}_csp`);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.goto("/support");
  await page.context().clearCookies();
  await signIn(page, demoAdmin);
  for (const path of ["/admin", "/admin/mailbox"]) {
    await page.goto(path);
    await expect(page.locator("main")).toBeVisible();
  }
  await page.waitForLoadState("networkidle");
  expect(violations).toEqual([]);
});

test("a burst of profile changes is answered kindly with when to try again", async ({ page }) => {
  const user = newUser("burst");
  await signUp(page, user);
  // The suite runs with RATE_LIMIT_USER_UPDATE=5 (playwright.config.ts).
  for (let i = 0; i < 5; i += 1)
    await trpc(page, "mutation", "user.update", { username: `${user.username.slice(0, 24)}_${i}` });
  const refused = await trpc(page, "mutation", "user.update", { username: `${user.username.slice(0, 24)}_x` });
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);

  await page.reload();
  await page.getByLabel("Username").fill(`${user.username.slice(0, 24)}_y`);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(
    page
      .getByRole("alert")
      .filter({ hasText: /several changes in a short time\. Nothing was lost — please try again in/ }),
  ).toBeVisible();
});

test("cookie-authenticated writes from another site and unsupported methods are refused", async ({ page }) => {
  await signUp(page, newUser("xsite"));
  const forged = await page.request.post("/api/trpc/user.update", {
    data: { json: { username: "evil_rename" } },
    headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
  });
  expect(forged.status()).toBe(403);
  const trace = await page.request.fetch("/api/trpc/user.update", { method: "TRACE" });
  expect(trace.status()).toBe(405);
  expect(trace.headers()["allow"]).toContain("POST");
  const del = await page.request.fetch("/profile", { method: "DELETE" });
  expect(del.status()).toBe(405);
});
