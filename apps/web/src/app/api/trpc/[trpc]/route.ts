import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createTRPCContext } from "@acme/api";
import { trpcRequestLine } from "~/server/request-log";
import { getServices } from "~/server/services";

export const dynamic = "force-dynamic";

async function handler(req: Request) {
  const started = performance.now();
  const response = await handleTrpc(req);
  console.log(trpcRequestLine(req, response.status, performance.now() - started));
  return response;
}

function handleTrpc(req: Request) {
  const { db, auth, relay, apiConfig } = getServices();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    router: appRouter,
    req,
    createContext: () => createTRPCContext({ headers: req.headers, auth, db, relay, config: apiConfig }),
    // Expected errors (validation, conflicts, auth) are the request line's status; only bugs get a stack.
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "?"}:`, error);
    },
  });
}

export { handler as GET, handler as POST };
