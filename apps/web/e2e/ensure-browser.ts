// Run before the browser suite: makes sure a Chromium exists, saying what it does. Tries, in order:
// one already installed, Playwright's own download (where the network allows), then the
// distribution's package when running as root.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { findChromium } from "./browser";

function run(command: string, args: string[], timeoutMs: number): boolean {
  console.log(`[browser] $ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, {
    stdio: "inherit",
    timeout: timeoutMs,
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  return result.status === 0;
}

function report(path: string): never {
  console.log(`[browser] using Chromium at ${path}`);
  process.exit(0);
}

const found = findChromium();
if (found) report(found);
if (process.env.CHROMIUM_PATH) {
  console.error(`[browser] CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
  process.exit(1);
}

console.log("[browser] no Chromium found; trying Playwright's download");
if (run("pnpm", ["exec", "playwright", "install", "chromium"], 5 * 60_000)) {
  const downloaded = findChromium();
  if (downloaded) report(downloaded);
}

const root = process.getuid?.() === 0;
if (root && existsSync("/usr/bin/apt-get")) {
  console.log("[browser] Playwright's download is unavailable; installing the distribution's chromium package");
  if (
    run("apt-get", ["update", "-qq"], 5 * 60_000) &&
    run("apt-get", ["install", "-y", "-qq", "chromium"], 10 * 60_000)
  ) {
    const installed = findChromium();
    if (installed) report(installed);
  }
}

console.error(
  [
    "[browser] Could not provide Chromium for the browser tests.",
    root
      ? "  Install it (e.g. `apt-get install chromium`) or set CHROMIUM_PATH."
      : "  Install it as root (e.g. `sudo apt-get install chromium`), or set CHROMIUM_PATH to a Chromium or Chrome binary.",
  ].join("\n"),
);
process.exit(1);
