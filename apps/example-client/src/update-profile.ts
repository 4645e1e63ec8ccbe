// Signs in, then changes the profile through the typed tRPC client.
//   pnpm example:update-profile -- --username new_name --phone "+1 415 555 0123"
// Env: API_URL (default http://localhost:3000), EMAIL and PASSWORD (default: the demo user).
import { parseArgs } from "node:util";
import type { RouterInputs } from "@acme/api";
import { createApiClient, isApiError, signIn } from "./client";

const { values } = parseArgs({
  options: { username: { type: "string" }, phone: { type: "string" }, "clear-phone": { type: "boolean" } },
});

const apiUrl = process.env.API_URL ?? "http://localhost:3000";
const email = process.env.EMAIL ?? "user@example.com";
const password = process.env.PASSWORD ?? "user-password-123";

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
  if (isApiError(error)) {
    console.error(`${error.data?.code ?? "ERROR"}: ${error.message}`);
    if (error.data?.fieldErrors) console.error(JSON.stringify(error.data.fieldErrors, null, 2));
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exitCode = 1;
}
