import { z } from "zod";

/** The token from a secure link's fragment; sent in a POST body so it never lands in a URL or a log. */
export const secureTokenInput = z.strictObject({ token: z.string().trim().min(1).max(200) });
