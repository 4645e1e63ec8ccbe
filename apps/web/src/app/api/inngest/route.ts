import { serve } from "inngest/next";
import { createFunctions, createJobDeps, inngest } from "@acme/jobs";
import { getServices } from "~/server/services";

export const dynamic = "force-dynamic";

// The Inngest endpoint: the embedded executor, the Inngest Dev Server, Inngest Cloud or a
// self-hosted Inngest all call these same functions through it. Built on first request, not at
// import, so `next build` needs no configuration (the functions' flow control comes from it).
type Handlers = ReturnType<typeof serve>;
let handlers: Handlers | null = null;
function inngestHandlers(): Handlers {
  if (!handlers) {
    const { db, config } = getServices();
    handlers = serve({ client: inngest, functions: createFunctions(createJobDeps(db, config)) });
  }
  return handlers;
}

export const GET = (...args: Parameters<Handlers["GET"]>) => inngestHandlers().GET(...args);
export const POST = (...args: Parameters<Handlers["POST"]>) => inngestHandlers().POST(...args);
export const PUT = (...args: Parameters<Handlers["PUT"]>) => inngestHandlers().PUT(...args);
