import type { PreflightFinding } from "@acme/config";
import { findPublishedDemoAccounts, type Database } from "@acme/db";

export const REMOVE_DEMO_COMMAND = "pnpm demo:remove";

/**
 * Demo accounts (seeded by `pnpm dev` in the same data) still taking the passwords printed in the
 * README: an error for a production start, unless a local demo was asked for.
 */
export async function checkDemoAccounts(
  db: Database,
  { demoAsked }: { demoAsked: boolean },
): Promise<PreflightFinding[]> {
  if (demoAsked) return [];
  const published = await findPublishedDemoAccounts(db);
  if (published.length === 0) return [];
  return [
    {
      level: "error",
      variable: "demo accounts",
      message:
        `${published.map((a) => a.email).join(", ")} still accept the passwords printed in the README ` +
        `(seeded by pnpm dev on this data): remove them with \`${REMOVE_DEMO_COMMAND}\`, ` +
        "or set LOCAL_DEMO=on for a local demo",
    },
  ];
}
