import { toNextJsHandler } from "better-auth/next-js";
import { getServices } from "~/server/services";

export const dynamic = "force-dynamic";

const handlers = {
  GET: (req: Request) => toNextJsHandler(getServices().auth).GET(req),
  POST: (req: Request) => toNextJsHandler(getServices().auth).POST(req),
};

export const { GET, POST } = handlers;
