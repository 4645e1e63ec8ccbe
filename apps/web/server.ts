// The app's HTTP front: Next.js behind our own node:http server, the one place that sees the
// socket, so the client address is the peer's (or a trusted proxy's word for it), never a header
// the client chose. `pnpm dev` / `pnpm start` (packages/devstack) run the app through it.
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { applyClientAddress } from "@acme/auth/ip";
import { frontProblem, loadFrontConfig } from "@acme/config";
import { allowedMethods } from "./src/server/request-guard";
import { createTrpcFront, TRPC_PATH } from "./src/server/trpc-front";

const config = loadFrontConfig();
const problem = frontProblem(config);
if (problem) {
  console.error(`[front] refusing to start: ${problem}`);
  process.exit(1);
}
const server = createServer();
const app = next({
  dev: !config.production,
  turbopack: true,
  dir: path.dirname(fileURLToPath(import.meta.url)),
  hostname: config.host,
  port: config.port,
  httpServer: server,
});
const handle = app.getRequestHandler();
await app.prepare();
// After prepare(): Next's instrumentation hook has made the services (one pool, one relay, one
// session cache), and the front answers /api/trpc with those same ones.
const trpc = config.production ? createTrpcFront() : null;
server.on("request", (req, res) => {
  const { pathname } = new URL(req.url ?? "/", "http://front");
  // Methods Next.js itself chokes on (TRACE, CONNECT, …) never reach it.
  const allowed = allowedMethods(pathname);
  if (!allowed.includes(req.method ?? "")) {
    res.writeHead(405, { allow: allowed.join(", "), "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: `${req.method} is not supported here` } }));
    return;
  }
  applyClientAddress(req, config.trustedProxies);
  if (trpc && pathname.startsWith(TRPC_PATH)) {
    trpc(req, res).catch((error: unknown) => {
      console.error("[front] /api/trpc failed:", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "Internal server error" } }));
    });
    return;
  }
  void handle(req, res);
});
server.listen(config.port, config.host, () => {
  console.log(
    `[front] listening on http://${config.host}:${config.port} (${config.production ? "production" : "development"})`,
  );
});
