import { z } from "zod";

export const getDeliveryInput = z.strictObject({ id: z.string().trim().min(1).max(64) });
