import { z } from "zod";

export const listMailboxInput = z
  .strictObject({
    limit: z.number().int().min(1).max(100).default(25),
    /** Id of the last email shown: the next page is older than it (Resend's `after`). */
    cursor: z.string().trim().min(1).max(100).nullish(),
    /** Sent by tRPC's useInfiniteQuery with every page; only forward paging exists. */
    direction: z.literal("forward").optional(),
  })
  .default({ limit: 25 });
