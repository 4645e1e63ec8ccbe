// A load phase through autocannon (keep-alive connections), with every response's latency kept.
import autocannon from "autocannon";
import { summarizeLatencies, type LatencySummary } from "./stats";

export interface BenchRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  durationSec?: number;
  /** Exactly this many requests. */
  amount?: number;
  /** Requests per second over all connections (open loop); unlimited when unset. */
  overallRate?: number;
  nextRequest: () => BenchRequest;
}

export interface LoadResult {
  requests: number;
  durationSec: number;
  rps: number;
  latency: LatencySummary;
  /** Non-2xx answers, socket errors and timeouts. */
  errors: number;
  statuses: Record<string, number>;
  startedAt: number;
  endedAt: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const startedAt = Date.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.amount ? { amount: options.amount } : { duration: options.durationSec ?? 10 }),
        ...(options.overallRate && { overallRate: options.overallRate }),
        timeout: 30,
        requests: [
          {
            method: "POST",
            setupRequest: (request) => {
              const next = options.nextRequest();
              return { ...request, method: "POST", path: next.path, headers: next.headers, body: next.body };
            },
          },
        ],
      },
      (error, finished) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(finished),
    );
    instance.on("response", (_client, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  const endedAt = Date.now();
  const non2xx = Object.entries(statuses)
    .filter(([status]) => !status.startsWith("2"))
    .reduce((sum, [, n]) => sum + n, 0);
  const durationSec = (endedAt - startedAt) / 1000;
  return {
    requests: latencies.length,
    durationSec,
    rps: latencies.length / durationSec,
    latency: summarizeLatencies(latencies),
    errors: non2xx + result.errors + result.timeouts,
    statuses,
    startedAt,
    endedAt,
  };
}

/** Browser-like, so the notification names a device as it would for a real user. */
export const BENCH_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

/**
 * `user.update` requests that each really change something: user after user, each time a new
 * username (`<tag><user>x<seq>`, so the app's and the baseline's never collide).
 */
export function updateRequests(users: readonly { index: number; bearer: string }[], tag: string): () => BenchRequest {
  let seq = 0;
  return () => {
    const user = users[seq % users.length]!;
    const username = `${tag}${user.index}x${seq}`;
    seq += 1;
    return {
      path: "/api/trpc/user.update",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${user.bearer}`,
        "user-agent": BENCH_USER_AGENT,
      },
      body: JSON.stringify({ json: { username } }),
    };
  };
}
