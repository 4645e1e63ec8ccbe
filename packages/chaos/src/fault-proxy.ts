import {
  request as httpRequest,
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { request as httpsRequest, createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

/** What happens to one request passing the proxy. */
export type Fault =
  | { kind: "pass" }
  /** The provider never sees the request: the caller gets this status. */
  | { kind: "before"; status: number }
  /** The provider accepts it, then the answer is lost: a 502 or a reset connection. */
  | { kind: "after"; reset: boolean };

export interface FaultPlan {
  /** Share of requests that fail (0–1). */
  rate: number;
  /** Share of failures that happen after the provider accepted (0–1). */
  afterShare: number;
}

const BEFORE_STATUSES = [500, 502, 503, 429];

/** The fault for one request, from a uniform random number source: a pure decision, tested on its own. */
export function decideFault(plan: FaultPlan, random: () => number): Fault {
  if (random() >= plan.rate) return { kind: "pass" };
  if (random() < plan.afterShare) return { kind: "after", reset: random() < 0.5 };
  return { kind: "before", status: BEFORE_STATUSES[Math.floor(random() * BEFORE_STATUSES.length)]! };
}

export interface FaultCounts {
  passed: number;
  before: number;
  after: number;
}

export interface FaultProxy {
  url: string;
  counts: FaultCounts;
  /** Faults on or off (off: a plain pass-through). */
  setEnabled(enabled: boolean): void;
  stop(): Promise<void>;
}

/**
 * A reverse proxy in front of a provider (the local mailbox over HTTP, the local push service over
 * HTTPS) that injects failures before and after the provider accepts. The Host header is passed
 * through, so VAPID tokens minted for the proxy's origin stay valid upstream.
 */
export async function startFaultProxy(options: {
  upstream: string;
  plan: FaultPlan;
  tls?: { key: string; cert: string };
  random?: () => number;
}): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  const random = options.random ?? Math.random;
  const counts: FaultCounts = { passed: 0, before: 0, after: 0 };
  let enabled = true;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const fault = enabled ? decideFault(options.plan, random) : ({ kind: "pass" } as const);
    if (fault.kind === "before") {
      counts.before += 1;
      req.resume();
      res.writeHead(fault.status, {
        "content-type": "application/json",
        ...(fault.status === 429 && { "retry-after": "1" }),
      });
      res.end(
        JSON.stringify({ statusCode: fault.status, name: "injected_fault", message: "Injected before the provider" }),
      );
      return;
    }
    const send = upstream.protocol === "https:" ? httpsRequest : httpRequest;
    const forwarded = send(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        rejectUnauthorized: false,
      },
      (answer) => {
        if (fault.kind === "after") {
          counts.after += 1;
          answer.resume();
          answer.on("end", () => {
            if (fault.reset) req.socket.destroy();
            else {
              res.writeHead(502, { "content-type": "application/json" });
              res.end(JSON.stringify({ statusCode: 502, name: "injected_fault", message: "Answer lost after accept" }));
            }
          });
          return;
        }
        counts.passed += 1;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => {
      if (!res.headersSent) res.writeHead(502).end();
    });
    req.pipe(forwarded);
  };

  const server = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    counts,
    setEnabled: (value) => {
      enabled = value;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
