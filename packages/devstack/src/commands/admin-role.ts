// `pnpm admin:grant <email>` / `pnpm admin:revoke <email>`: gives or takes the admin role on the
// database the dev stack uses (DATABASE_URL, else the embedded data), audited like the admin page.
import { userInfo } from "node:os";
import { adminRoleNotifier } from "@acme/api";
import { loadDevstackConfig } from "@acme/config";
import { changeAdminRole } from "@acme/db";
import { openCommandDatabase } from "../command-database";
import { resolveDataDir } from "./paths";
import { describeRoleChange, type RoleCommand } from "./role-messages";

const [command, email, ...rest] = process.argv.slice(2);
if ((command !== "grant" && command !== "revoke") || !email || rest.length > 0 || email.startsWith("-")) {
  console.error("usage: pnpm admin:grant <email>   |   pnpm admin:revoke <email>");
  process.exit(2);
}

const config = loadDevstackConfig();
const database = await openCommandDatabase(config, resolveDataDir(config));
let exitCode: number;
try {
  const result = await changeAdminRole(database!.db, {
    target: { email },
    action: command === "grant" ? "granted" : "revoked",
    // The command line has no signed-in actor; the OS account is the best "who" we have.
    actor: {
      source: "command_line",
      userId: null,
      email: null,
      ipAddress: null,
      userAgent: `cli (${userInfo().username})`,
    },
    // The user is told like any account event; with no relay here, the app's outbox sweep sends it.
    notify: adminRoleNotifier(null),
  });
  const outcome = describeRoleChange(command satisfies RoleCommand, email, result);
  (outcome.exitCode === 0 ? console.log : console.error)(`[admin] ${outcome.message}`);
  console.log(`[admin] database: ${database!.description}`);
  exitCode = outcome.exitCode;
} finally {
  await database!.close();
}
process.exit(exitCode);
