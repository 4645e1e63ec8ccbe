import AxeBuilder from "@axe-core/playwright";
import {
  test as base,
  expect,
  request,
  type APIRequestContext,
  type BrowserContext,
  type Page,
} from "@playwright/test";
import { E2E_PORTS } from "./ports";

/**
 * `test` with more browsers for the other people in a story (a second user, an admin). Playwright
 * closes only its own `context`; these are closed when the test ends, passed or failed, so their
 * pages stop polling the app while later tests run.
 */
export const test = base.extend<{ newContext: () => Promise<BrowserContext>; newPage: () => Promise<Page> }>({
  newContext: async ({ browser }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async () => {
      const context = await browser.newContext();
      contexts.push(context);
      return context;
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
  newPage: async ({ newContext }, provide) => {
    await provide(async () => (await newContext()).newPage());
  },
});
export { expect };

export const ports = E2E_PORTS;
export const mailboxUrl = `http://127.0.0.1:${ports.mailbox}`;
export const pushUrl = `https://127.0.0.1:${ports.push}`;
export const demoAdmin = { email: "admin@example.com", password: "admin-password-123" };
export const password = "a-long-password-42";

let counter = 0;
/** A unique new user per call (tests share one database). */
export function newUser(prefix: string) {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}`;
  return { email: `${prefix}.${tag}@example.com`, username: `${prefix}_${tag}`.slice(0, 30), password };
}

export async function signUp(page: Page, user: { email: string; username: string; password: string }) {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: /create account|sign up/i }).click();
  await expect(page).toHaveURL(/\/profile/);
}

/** Saves a new username on /profile and waits for the form to say so. */
export async function changeUsername(page: Page, username: string) {
  await page.goto("/profile");
  await page.getByLabel("Username").fill(username);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
}

export async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

/**
 * No serious or critical axe violations on the current page. Sandboxed iframes (an email as
 * the user received it) run no scripts, so axe cannot enter them; the email template is
 * checked in its own rendering instead.
 */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).exclude("iframe[sandbox]").analyze();
  const severe = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(severe.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

export async function controlClient(): Promise<APIRequestContext> {
  return request.newContext({ ignoreHTTPSErrors: true });
}

export interface ReceivedPush {
  json: unknown;
  payload: string | null;
  urgency: string | null;
  ttl: number | null;
}

export async function createPushSubscription(control: APIRequestContext, applicationServerKey: string) {
  const response = await control.post(`${pushUrl}/__push/subscriptions`, { data: { applicationServerKey } });
  expect(response.ok()).toBe(true);
  return (await response.json()) as {
    id: string;
    subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  };
}

export async function pushesFor(control: APIRequestContext, subscriptionId: string): Promise<ReceivedPush[]> {
  const response = await control.get(`${pushUrl}/__push/messages?subscription=${subscriptionId}`);
  return ((await response.json()) as { messages: ReceivedPush[] }).messages;
}

export async function emailsTo(control: APIRequestContext, email: string) {
  const response = await control.get(`${mailboxUrl}/__mailbox/messages`);
  const { data } = (await response.json()) as {
    data: { id: string; to: string[]; subject: string; text: string; html: string }[];
  };
  return data.filter((m) => m.to.includes(email));
}

/** Calls a tRPC procedure with the page's session cookie (superjson wire format). */
export async function trpc(page: Page, kind: "query" | "mutation", path: string, input?: unknown) {
  if (kind === "query") {
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    return page.request.get(`/api/trpc/${path}${query}`);
  }
  return page.request.post(`/api/trpc/${path}`, { data: { json: input } });
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

/** The page is no wider than the window (no sideways scrolling). */
export async function expectNoHorizontalOverflow(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}
