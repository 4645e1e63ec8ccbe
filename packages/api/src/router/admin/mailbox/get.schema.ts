import { z } from "zod";

export const getMailboxEmailInput = z.strictObject({ id: z.string().trim().min(1).max(100) });
