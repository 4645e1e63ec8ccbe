import { z } from "zod";

export const setRoleInput = z.strictObject({
  userId: z.string().trim().min(1).max(64),
  admin: z.boolean(),
});
