// Shared helpers for the conformance tests (not part of the package's public surface).
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Inngest, InngestFunction } from "inngest";
import { serve } from "inngest/node";
import type { RunView } from "./api-views";

export async function getFreePort(): Promise<number> {
  const srv = http.createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export interface SdkApp {
  url: string;
  close(): Promise<void>;
}

/** Serves functions with the SDK's own, unchanged Node handler. */
export async function startSdkApp(client: Inngest.Any, functions: InngestFunction.Any[], port = 0): Promise<SdkApp> {
  const handler = serve({ client, functions });
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith("/api/inngest")) return void handler(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/api/inngest`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 20_000, intervalMs = 50, what = "condition" } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs}ms waiting for ${what}${lastError ? `: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)}` : ""}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`GET ${url} -> ${res.status}`);
  return (await res.json()) as T;
}

export async function runsForEvent(
  executorUrl: string,
  eventId: string,
  headers: Record<string, string> = {},
): Promise<RunView[]> {
  const body = await getJson<{ data: RunView[] }>(
    `${executorUrl}/v1/events/${encodeURIComponent(eventId)}/runs`,
    headers,
  );
  return body.data;
}

const finished = new Set(["Completed", "Failed", "Cancelled"]);

/**
 * Waits until the event (by the id the event API answered with) has a finished run. Works
 * against the embedded executor and a real Inngest server alike: it relies only on the REST
 * API's `status`, and on each test event triggering one function.
 */
export function waitForRun(
  executorUrl: string,
  eventId: string,
  timeoutMs = 20_000,
  headers: Record<string, string> = {},
): Promise<RunView> {
  return waitFor(
    async () => {
      const runs = await runsForEvent(executorUrl, eventId, headers);
      return runs.find((r) => finished.has(r.status));
    },
    { timeoutMs, what: `a finished run for event ${eventId}` },
  );
}

export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve: (v: T) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
