import type { Context } from "../../trpc";

/** The context an admin procedure runs with: adminProcedure has checked the session and role. */
export type AdminContext = Context & { session: NonNullable<Context["session"]> };
