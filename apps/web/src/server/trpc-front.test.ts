import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTrpcFront } from "./trpc-front";

// The front's own work — reading the body, the limit, the cross-site check, the answer's headers —
// over a real socket; what answers behind it is a stand-in that echoes what it was given. The
// app's real handler behind it runs in the browser suite (production server).
const answered: { method: string; url: string; body: string; refusal: number | null }[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  const front = createTrpcFront({
    maxBodyBytes: 1_000,
    policy: { production: true, appUrl: "http://localhost:3000", trustedOrigins: [] },
    answer: async (req, refusal) => {
      answered.push({ method: req.method, url: req.url, body: await req.text(), refusal: refusal?.status ?? null });
      if (refusal) return refusal;
      const headers = new Headers({ "content-type": "application/json" });
      headers.append("set-cookie", "a=1; Path=/");
      headers.append("set-cookie", "b=2; Path=/");
      return new Response(JSON.stringify({ echoed: req.headers.get("x-test") }), { status: 201, headers });
    },
  });
  server = createServer((req, res) => void front(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A raw request, so the body can be sent chunked with no Content-Length. */
function send(path: string, init: { method?: string; headers?: Record<string, string>; chunks?: string[] } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = httpRequest(`${base}${path}`, { method: init.method ?? "GET", headers: init.headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on("error", reject);
      for (const chunk of init.chunks ?? []) req.write(chunk);
      req.end();
    },
  );
}

describe("the app's front for /api/trpc", () => {
  it("hands the handler the request whole and writes its answer with a length and every cookie", async () => {
    const res = await send("/api/trpc/user.update?batch=1", {
      method: "POST",
      headers: { "content-type": "application/json", "x-test": "yes" },
      chunks: ['{"0":', '{"json":{"username":"ada"}}}'],
    });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ echoed: "yes" });
    expect(res.headers["content-length"]).toBe(String(Buffer.byteLength(res.body)));
    expect(res.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect(answered.at(-1)).toMatchObject({
      method: "POST",
      url: "http://front/api/trpc/user.update?batch=1",
      body: '{"0":{"json":{"username":"ada"}}}',
      refusal: null,
    });
  });

  it("sets the headers every page and API answer carries", async () => {
    const res = await send("/api/trpc/user.me");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
  });

  it("answers OPTIONS itself with what the API takes", async () => {
    const before = answered.length;
    const res = await send("/api/trpc/user.update", { method: "OPTIONS" });
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe("GET, POST, OPTIONS");
    expect(answered.length).toBe(before);
  });

  it("refuses a body over the limit with 413, declared or streamed, before the handler reads it", async () => {
    const declared = await send("/api/trpc/user.update", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": "1001" },
      chunks: ["x".repeat(1001)],
    });
    const streamed = await send("/api/trpc/user.update", {
      method: "POST",
      headers: { "content-type": "application/json" },
      chunks: ["x".repeat(600), "x".repeat(600)],
    });
    for (const res of [declared, streamed]) {
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toEqual({
        error: { message: "Request body over 1000 bytes", code: "PAYLOAD_TOO_LARGE" },
      });
      expect(res.headers.connection).toBe("close");
    }
    // Logged as the handler's line, with no body.
    expect(answered.slice(-2)).toEqual([
      expect.objectContaining({ refusal: 413, body: "" }),
      expect.objectContaining({ refusal: 413, body: "" }),
    ]);
  });

  it("refuses a cookie-authenticated write from another site, and lets bearer clients through", async () => {
    const before = answered.length;
    const crossSite = await send("/api/trpc/user.update", {
      method: "POST",
      headers: { cookie: "better-auth.session_token=abc.def", origin: "https://evil.example" },
      chunks: ["{}"],
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body).toContain("Cross-site request refused (Origin https://evil.example)");
    expect(answered.length).toBe(before);

    const bearer = await send("/api/trpc/user.update", {
      method: "POST",
      headers: { authorization: "Bearer t", origin: "https://evil.example" },
      chunks: ["{}"],
    });
    expect(bearer.status).toBe(201);
  });
});
