/** "Chrome 156 on Android" from a User-Agent header: enough for a person to recognise a device. */
export function describeUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return "Unknown device";
  const browser = detectBrowser(userAgent);
  const os = detectOs(userAgent);
  if (!browser && !os) return userAgent.length > 60 ? `${userAgent.slice(0, 57)}…` : userAgent;
  if (!browser) return os!;
  return os ? `${browser} on ${os}` : browser;
}

function version(ua: string, pattern: RegExp): string {
  const match = pattern.exec(ua);
  return match?.[1] ? ` ${match[1]}` : "";
}

function detectBrowser(ua: string): string | null {
  if (/\bEdg(?:e|A|iOS)?\//.test(ua)) return `Edge${version(ua, /Edg(?:e|A|iOS)?\/(\d+)/)}`;
  if (/\bOPR\/|\bOpera\b/.test(ua)) return `Opera${version(ua, /OPR\/(\d+)/)}`;
  if (/\bSamsungBrowser\//.test(ua)) return `Samsung Internet${version(ua, /SamsungBrowser\/(\d+)/)}`;
  if (/\bFirefox\/|\bFxiOS\//.test(ua)) return `Firefox${version(ua, /(?:Firefox|FxiOS)\/(\d+)/)}`;
  if (/\bCriOS\//.test(ua)) return `Chrome${version(ua, /CriOS\/(\d+)/)}`;
  if (/\bHeadlessChrome\//.test(ua)) return `Headless Chrome${version(ua, /HeadlessChrome\/(\d+)/)}`;
  if (/\bChrom(?:e|ium)\//.test(ua))
    return `${/Chromium\//.test(ua) ? "Chromium" : "Chrome"}${version(ua, /Chrom(?:e|ium)\/(\d+)/)}`;
  if (/\bSafari\//.test(ua) && /\bVersion\//.test(ua)) return `Safari${version(ua, /Version\/(\d+(?:\.\d+)?)/)}`;
  if (/^curl\//.test(ua)) return "curl";
  if (/^node|undici/i.test(ua)) return "Node.js";
  return null;
}

function detectOs(ua: string): string | null {
  if (/\bAndroid\b/.test(ua)) return "Android";
  if (/\biPhone\b/.test(ua)) return "iPhone";
  if (/\biPad\b/.test(ua)) return "iPad";
  if (/\bWindows\b/.test(ua)) return "Windows";
  if (/\bCrOS\b/.test(ua)) return "ChromeOS";
  if (/\bMac OS X\b|\bMacintosh\b/.test(ua)) return "macOS";
  if (/\bLinux\b/.test(ua)) return "Linux";
  return null;
}
