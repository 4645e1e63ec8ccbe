import { toNextJsHandler } from "better-auth/next-js";
import { getServices } from "~/server/services";

export const dynamic = "force-dynamic";

// Built on first request, not at import, so `next build` needs no database configuration.
let handlers: ReturnType<typeof toNextJsHandler> | null = null;
const auth = () => (handlers ??= toNextJsHandler(getServices().auth));

export const GET = (req: Request) => auth().GET(req);
export const POST = (req: Request) => auth().POST(req);
