import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "inngest/node";
import type { ServerConfig } from "@acme/config";
import type { Database } from "@acme/db";
import { createFunctions, createJobDeps, inngest } from "@acme/jobs";

/** Where the functions answer, as in the Next app, so a registration can move between the two. */
export const SERVE_PATH = "/api/inngest";

export interface WorkerServer {
  /** The serve URL to register with Inngest (the executor syncs it). */
  serveUrl: string;
  close(): Promise<void>;
}

/**
 * The app's Inngest functions behind the SDK's `inngest/node` handler on plain `node:http`: the
 * notification pipeline runs here, off the thread that answers the API.
 */
export async function startWorkerServer(options: {
  db: Database;
  config: ServerConfig;
  port: number;
  host: string;
}): Promise<WorkerServer> {
  const handleInngest = serve({
    client: inngest,
    functions: createFunctions(createJobDeps(options.db, options.config)),
    servePath: SERVE_PATH,
  });
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0];
    if (path === SERVE_PATH) return void handleInngest(req, res);
    if (path === "/health") return void res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  // Longer than the executor's idle connections, so a kept-alive call never meets a closing socket.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === "0.0.0.0" ? "127.0.0.1" : options.host;
  return {
    serveUrl: `http://${host}:${port}${SERVE_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
