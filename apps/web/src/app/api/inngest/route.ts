import { serve } from "inngest/next";
import { createFunctions, createJobDeps, inngest } from "@acme/jobs";
import { getServices } from "~/server/services";

export const dynamic = "force-dynamic";

// The Inngest endpoint: the embedded executor, the Inngest Dev Server, Inngest Cloud or a
// self-hosted Inngest all call these same functions through it.
export const { GET, POST, PUT } = serve({
  client: inngest,
  functions: createFunctions(() => createJobDeps(getServices().db, getServices().config)),
});
