// `pnpm doctor`: checks the configuration the way `pnpm start` does before it starts anything,
// and the data it would start on (demo accounts left by `pnpm dev`).
import { loadDevstackConfig, loadLocalServiceMode } from "@acme/config";
import { openCommandDatabase } from "../command-database";
import { resolveDataDir } from "../commands/paths";
import { formatFindings, runDoctor } from "./checks";
import { checkDemoAccounts } from "./demo-accounts";

const config = loadDevstackConfig();
const findings = await runDoctor(process.env, config);
const database = await openCommandDatabase(config, resolveDataDir(config), { ifMissing: "skip" });
if (database) {
  try {
    const demoAsked = config.seedDemoUsers === true || loadLocalServiceMode().localDemo;
    findings.push(...(await checkDemoAccounts(database.db, { demoAsked })));
  } finally {
    await database.close();
  }
}
const errors = findings.filter((f) => f.level === "error");
if (findings.length === 0) {
  console.log("[doctor] the configuration is ready for `pnpm start`");
} else {
  console.log(
    `[doctor] ${errors.length} problem(s), ${findings.length - errors.length} warning(s):\n${formatFindings(findings)}`,
  );
  console.log("See README: Configuration.");
}
process.exit(errors.length > 0 ? 1 : 0);
