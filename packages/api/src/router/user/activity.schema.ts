import { z } from "zod";

export const activityInput = z
  .strictObject({ limit: z.number().int().min(1).max(50).default(10) })
  .default({ limit: 10 });
