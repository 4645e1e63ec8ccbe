// `pnpm doctor`: checks the configuration the way `pnpm start` does before it starts anything.
import { loadDevstackConfig } from "@acme/config";
import { formatFindings, runDoctor } from "./checks";

const findings = await runDoctor(process.env, loadDevstackConfig());
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
