import { z } from "zod";

export const getRunInput = z.strictObject({ runId: z.string().trim().min(1).max(64) });
