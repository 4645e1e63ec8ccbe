import { z } from "zod";

export const retryDeliveryInput = z.strictObject({ id: z.string().trim().min(1).max(64) });
