// A User-Agent is whatever the client typed: only names from these lists ever reach a notification
// or a page, never the header's own text.
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bHeadlessChrome\//, "Headless Chrome"],
  [/\bChromium\//, "Chromium"],
  [/\bChrome\/|\bCriOS\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
];

const OPERATING_SYSTEMS: [RegExp, string][] = [
  [/\bAndroid\b/, "Android"],
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\bWindows\b/, "Windows"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

// HTTP libraries (the typed API client runs on Node's fetch): programs, not a device a person holds.
const PROGRAMS = /^(node|undici|curl|Wget|python-requests|python-httpx|axios|Go-http-client|okhttp)\b/i;

const MAX_HEADER = 1024;

function pick(userAgent: string, table: [RegExp, string][]): string | null {
  return table.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
}

/** "Chrome on macOS", "a program using the API" or "an unknown browser": for emails and pages alike. */
export function describeUserAgent(userAgent: string | null | undefined): string {
  // Bounded before any pattern runs; a header this long is nobody's browser.
  if (!userAgent || userAgent.length > MAX_HEADER) return "an unknown browser";
  if (PROGRAMS.test(userAgent)) return "a program using the API";
  const browser = pick(userAgent, BROWSERS);
  const os = pick(userAgent, OPERATING_SYSTEMS);
  if (browser && os) return `${browser} on ${os}`;
  if (browser) return browser;
  return os ? `a browser on ${os}` : "an unknown browser";
}
