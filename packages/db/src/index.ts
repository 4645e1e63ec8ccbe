export { createPrismaClient, type Database, type CreatePrismaClientOptions } from "./client";
export { newRowId } from "./ids";
export { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";
export { applyMigrations, listMigrations } from "./migrate";
export { resolveDatabase, type ResolveDatabaseOptions, type ResolvedDatabase } from "./resolve";
export { seedDemoUsers, DEMO_USERS } from "./seed";
export * from "./generated/prisma/client";
export { Prisma } from "./generated/prisma/client";
export {
  changeAdminRole,
  type AdminRoleActor,
  type AdminRoleTarget,
  type AdminRoleChangeResult,
  type AdminRoleNotifier,
} from "./admin-roles";
export { findPublishedDemoAccounts, removePublishedDemoAccounts, type DemoAccount } from "./demo-accounts";
