import type { User } from "@acme/db";

/** The user as the API shows it: no auth internals. */
export function toPublicUser(user: User) {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    phoneNumber: user.phoneNumber,
    role: user.role,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}
export type PublicUser = ReturnType<typeof toPublicUser>;
