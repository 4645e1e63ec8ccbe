import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
export const schemaPath = path.join(repoRoot, "prisma/schema.prisma");
export const migrationsDir = path.join(repoRoot, "prisma/migrations");
// The schema as of the newest migration: the "from" side of the next diff.
export const snapshotPath = path.join(migrationsDir, "schema.snapshot.prisma");
