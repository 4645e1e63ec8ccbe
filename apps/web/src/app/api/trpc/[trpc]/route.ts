import { limitRequestBody } from "@acme/api";
import { answerTrpc } from "~/server/trpc-handler";
import { getServices } from "~/server/services";

export const dynamic = "force-dynamic";

// Under `pnpm start` the app's front (server.ts) answers /api/trpc itself; this route serves it
// wherever Next.js runs alone, and in development (hot reload).
async function handler(original: Request) {
  const req = limitRequestBody(original, getServices().apiConfig.security.api.maxBodyBytes);
  return req instanceof Response ? answerTrpc(original, req) : answerTrpc(req);
}

export { handler as GET, handler as POST };
