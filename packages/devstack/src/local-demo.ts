import type { LocalServiceMode } from "@acme/config";

/**
 * `pnpm start` (`--prod`) on embedded defaults is a local demo by definition, so it says so
 * to the stand-ins it starts. `pnpm dev` passes the environment on: with NODE_ENV=production
 * they refuse to start unless LOCAL_DEMO=on.
 */
export function localServiceModeFor(prod: boolean, fromEnv: LocalServiceMode): LocalServiceMode {
  return prod ? { production: true, localDemo: true } : fromEnv;
}
