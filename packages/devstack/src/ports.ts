import { createServer } from "node:net";

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/**
 * A restart right after a stop can find the previous stack still releasing its ports: wait for the
 * port (saying so) instead of failing with EADDRINUSE. Port 0 (any free port) never waits.
 */
export async function waitForFreePort(port: number, log: (message: string) => void, timeoutMs = 20_000): Promise<void> {
  if (port === 0 || (await isFree(port))) return;
  log(`port ${port} is still in use (a previous stack stopping?); waiting up to ${timeoutMs / 1000}s`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (await isFree(port)) return;
  }
  throw new Error(
    `port ${port} is in use by another program; stop it or choose another port (see README: Configuration)`,
  );
}
