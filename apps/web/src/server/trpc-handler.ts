import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { apiResponseMeta, appRouter, createTRPCContext } from "@acme/api";
import { trpcRequestLine } from "./request-log";
import { getServices } from "./services";

/**
 * A tRPC request whose body is within the limit, answered — or `refusal`, an answer given before
 * its body was read — and logged. Both ways in use it: the Next.js route and the app's own front
 * (`trpc-front.ts`).
 */
export async function answerTrpc(req: Request, refusal?: Response): Promise<Response> {
  const started = performance.now();
  const { db, auth, relay, apiConfig } = getServices();
  const response =
    refusal ??
    (await fetchRequestHandler({
      endpoint: "/api/trpc",
      router: appRouter,
      req,
      // A batch over the limit is a 400 before any procedure runs.
      maxBatchSize: apiConfig.security.api.maxBatch,
      responseMeta: apiResponseMeta,
      createContext: () => createTRPCContext({ headers: req.headers, auth, db, relay, config: apiConfig }),
    }));
  console.log(trpcRequestLine(req, response.status, performance.now() - started));
  return response;
}
