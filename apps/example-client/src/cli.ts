// Signs in, then changes the profile through the typed tRPC client:
//   pnpm example:update-profile --username new_name --phone "+1 415 555 0123"
//   pnpm example:update-profile --clear-phone
// Env: API_URL (else APP_URL, else http://localhost:$PORT, PORT defaulting to 3000);
// EMAIL and PASSWORD (default: the demo user that `pnpm dev` seeds).
import { parseArgs } from "node:util";
import type { RouterInputs } from "@acme/api";
import { createApiClient, describeFailure, signIn } from "./client";

const usage = `Usage: pnpm example:update-profile [--username <name>] [--phone <number> | --clear-phone]

Env: API_URL (default ${defaultApiUrl()}), EMAIL, PASSWORD`;

function defaultApiUrl(): string {
  return process.env.API_URL || process.env.APP_URL || `http://localhost:${process.env.PORT || 3000}`;
}

function readArgs() {
  try {
    // `pnpm x -- --flag` passes the "--" through; it means nothing here.
    const args = process.argv.slice(2).filter((arg) => arg !== "--");
    const { values } = parseArgs({
      args,
      options: {
        username: { type: "string" },
        phone: { type: "string" },
        "clear-phone": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    return values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
}

const values = readArgs();
if (values.help || (values.username === undefined && values.phone === undefined && !values["clear-phone"])) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}

const apiUrl = defaultApiUrl().replace(/\/+$/, "");
const email = process.env.EMAIL || "user@example.com";
const password = process.env.PASSWORD || "user-password-123";

const input: RouterInputs["user"]["update"] = {
  ...(values.username !== undefined && { username: values.username }),
  ...(values.phone !== undefined && { phoneNumber: values.phone }),
  ...(values["clear-phone"] && { phoneNumber: null }),
};

try {
  const token = await signIn(apiUrl, email, password);
  const api = createApiClient(apiUrl, token);
  const { user, changed } = await api.user.update.mutate(input);
  console.log(JSON.stringify({ changed, user }, null, 2));
} catch (error) {
  console.error(describeFailure(error, apiUrl));
  process.exitCode = 1;
}
