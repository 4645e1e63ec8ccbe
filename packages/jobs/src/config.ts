import type { ServerConfig } from "@acme/config";

export type { VapidConfig } from "@acme/config";

/** The part of the server configuration the delivery functions read. */
export type JobsConfig = Pick<ServerConfig, "appUrl" | "email" | "push" | "delivery" | "security" | "secureLinks">;
