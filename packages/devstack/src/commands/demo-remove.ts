// `pnpm demo:remove`: deletes the demo accounts `pnpm dev` seeded while they still have the
// passwords printed in the README, so `pnpm start` may run on the same data.
import { loadDevstackConfig } from "@acme/config";
import { removePublishedDemoAccounts } from "@acme/db";
import { openCommandDatabase } from "../command-database";
import { resolveDataDir } from "./paths";

const config = loadDevstackConfig();
const database = await openCommandDatabase(config, resolveDataDir(config), { ifMissing: "skip" });
if (!database) {
  console.log("[demo] no data folder yet; nothing to remove.");
  process.exit(0);
}
try {
  const removed = await removePublishedDemoAccounts(database.db);
  console.log(
    removed.length === 0
      ? `[demo] no demo account with a published password in ${database.description}.`
      : `[demo] removed ${removed.map((a) => a.email).join(", ")} from ${database.description}.`,
  );
  const admins = await database.db.user.count({ where: { role: "admin" } });
  if (admins === 0) console.log("[demo] no admin is left: give someone the role with pnpm admin:grant <email>");
} finally {
  await database.close();
}
