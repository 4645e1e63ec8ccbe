import { z } from "zod";

export const getChangeInput = z.strictObject({ id: z.string().trim().min(1).max(64) });
