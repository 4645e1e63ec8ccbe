import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DevstackConfig } from "@acme/config";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

/** The dev stack's data folder: DEVSTACK_DATA_DIR, else `.data` at the repository root. */
export function resolveDataDir(config: DevstackConfig): string {
  return path.resolve(config.dataDir ?? path.join(repoRoot, ".data"));
}
