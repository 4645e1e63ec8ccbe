import type { AdminRoleChangeResult } from "@acme/db";

export type RoleCommand = "grant" | "revoke";

/** What `pnpm admin:grant|revoke` prints for each outcome, and its exit code. */
export function describeRoleChange(
  command: RoleCommand,
  email: string,
  result: AdminRoleChangeResult,
): { message: string; exitCode: number } {
  switch (result.outcome) {
    case "unknown-user":
      return {
        message: `No account has the email ${email}. The person signs up first (/sign-up), then run this again.`,
        exitCode: 1,
      };
    case "last-admin":
      return {
        message:
          `${result.user.email} is the last admin; nothing changed. ` +
          "Grant the role to someone else first: pnpm admin:grant <email>",
        exitCode: 1,
      };
    case "unchanged":
      return {
        message:
          command === "grant"
            ? `${result.user.email} is already an admin; nothing changed.`
            : `${result.user.email} is not an admin; nothing changed.`,
        exitCode: 0,
      };
    case "changed":
      return {
        message:
          command === "grant"
            ? `${result.user.email} is now an admin (recorded in the audit on /admin/users).`
            : `${result.user.email} is no longer an admin (recorded in the audit on /admin/users).`,
        exitCode: 0,
      };
  }
}
