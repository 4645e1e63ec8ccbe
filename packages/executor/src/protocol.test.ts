// Pure protocol helpers, cross-checked against the real SDK where it exposes the same logic.
import { headerKeys, Inngest, internalEvents } from "inngest";
import { InngestExecutionEngine, types } from "inngest/internals";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HeaderKeys, InternalEvents, StepOpCode } from "./consts";
import { parseSleepUntil } from "./durations";
import { compileExpression, eventNameMatches, idempotencyKey } from "./expression";
import { hashStepId, seededUlid, ulid } from "./ids";
import { parseSdkResponse, unsupportedOpReason } from "./ops";
import { maxAttemptsFromRetries, parseRetryAfter, retryDelayMs } from "./retry";
import { canonicalJson, signBody } from "./signing";
import { parseRegistration } from "./registration";
import { type SdkApp, startSdkApp } from "./test-helpers";

const headers = (h: Record<string, string> = {}) => new Headers(h);
const noop = () => undefined;
const quiet = { info: noop, warn: noop, error: noop, debug: noop };

describe("protocol helpers", () => {
  it("hashes step ids exactly like the SDK", () => {
    for (const id of ["a", "send-welcome", "step:1", "ünïcode"]) {
      expect(hashStepId(id)).toBe(InngestExecutionEngine._internals.hashId(id));
    }
  });

  it("uses the SDK's header names and internal event names", () => {
    const sdkHeaders = new Set<string>(Object.values(headerKeys));
    for (const name of Object.values(HeaderKeys)) expect(sdkHeaders).toContain(name);
    const sdkEvents = new Set<string>(Object.values(internalEvents));
    for (const name of Object.values(InternalEvents)) expect(sdkEvents).toContain(name);
  });

  it("knows every op code the SDK can send", () => {
    expect(new Set(Object.values(StepOpCode))).toEqual(new Set(Object.values(types.StepOpCode)));
    expect(unsupportedOpReason("StepRun")).toBeUndefined();
    expect(unsupportedOpReason("InvokeFunction")).toMatch(/step\.invoke\(\).*not supported/);
  });

  it("parses SDK responses", () => {
    expect(parseSdkResponse(200, headers({ "x-inngest-req-version": "2" }), '{"ok":1}')).toEqual({
      kind: "complete",
      output: { ok: 1 },
      version: 2,
    });
    expect(parseSdkResponse(200, headers(), "")).toMatchObject({ kind: "complete", output: null });

    const ops = parseSdkResponse(
      206,
      headers(),
      JSON.stringify([{ id: "h", op: "StepRun", data: 1, userland: { id: "x" } }]),
    );
    expect(ops).toMatchObject({
      kind: "ops",
      ops: [{ id: "h", op: "StepRun", data: 1, userlandId: "x" }],
      noRetry: false,
    });
    expect(parseSdkResponse(206, headers(), JSON.stringify({ id: "h", op: "Sleep", name: "1s" }))).toMatchObject({
      kind: "ops",
      ops: [{ op: "Sleep", name: "1s" }],
    });

    const retriable = parseSdkResponse(
      500,
      headers({ "x-inngest-no-retry": "false", "retry-after": "5" }),
      JSON.stringify({ name: "Error", message: "boom", stack: "s" }),
    );
    expect(retriable).toMatchObject({ kind: "error", retriable: true, retryAfterMs: 5000, error: { message: "boom" } });
    // Inngest obeys x-inngest-no-retry when present and otherwise retries, a 400 included.
    expect(parseSdkResponse(400, headers(), '{"message":"bad"}')).toMatchObject({ kind: "error", retriable: true });
    expect(parseSdkResponse(400, headers({ "x-inngest-no-retry": "false" }), "{}")).toMatchObject({ retriable: true });
    expect(parseSdkResponse(400, headers({ "x-inngest-no-retry": "true" }), "{}")).toMatchObject({ retriable: false });
    expect(parseSdkResponse(500, headers({ "x-inngest-no-retry": "true" }), "{}")).toMatchObject({ retriable: false });
    expect(parseSdkResponse(502, headers(), "<html>")).toMatchObject({
      kind: "error",
      retriable: true,
      error: { message: expect.stringContaining("HTTP 502") },
    });
  });

  it("parses retry-after and computes backoff", () => {
    const now = Date.UTC(2030, 0, 1);
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter(new Date(now + 10_000).toISOString(), now)).toBe(10_000);
    expect(parseRetryAfter("nonsense", now)).toBeUndefined();
    // Clipped to [1 s, 24 h] like Inngest.
    expect(parseRetryAfter("0", now)).toBe(1000);
    expect(parseRetryAfter(new Date(now - 5000).toUTCString(), now)).toBe(1000);
    expect(parseRetryAfter(String(3 * 86_400), now)).toBe(86_400_000);
    expect(parseRetryAfter(new Date(now + 7 * 86_400_000).toISOString(), now)).toBe(86_400_000);
    // Inngest's maximum is 20 retries, with its table schedule (capped at 2 h + jitter).
    expect(maxAttemptsFromRetries(20)).toBe(21);
    expect(maxAttemptsFromRetries(50)).toBe(21);
    expect(maxAttemptsFromRetries(undefined)).toBe(4);
    expect(Array.from({ length: 20 }, (_, a) => retryDelayMs(a, undefined, () => 0) / 1000)).toEqual([
      15, 30, 60, 120, 300, 600, 1200, 2400, 3600, 7200, 7200, 7200, 7200, 7200, 7200, 7200, 7200, 7200, 7200, 7200,
    ]);
    expect(retryDelayMs(0, undefined, () => 0)).toBe(15_000);
    expect(retryDelayMs(1, undefined, () => 0.5)).toBe(45_000);
    expect(retryDelayMs(50, undefined, () => 0)).toBe(7_200_000);
    expect([0, 1, 2].map((a) => retryDelayMs(a, 10))).toEqual([10, 20, 40]);
  });

  it("parses sleep durations and sleepUntil timestamps", () => {
    const now = 1_000_000;
    expect(parseSleepUntil("1h30m5s", now)?.getTime()).toBe(now + 5_405_000);
    expect(parseSleepUntil("2d", now)?.getTime()).toBe(now + 172_800_000);
    expect(parseSleepUntil("2030-01-01T00:00:00.000Z", now)?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    expect(parseSleepUntil("soon", now)).toBeUndefined();
    // step.sleep(0) arrives as an empty duration: sleep zero.
    expect(parseSleepUntil("", now)?.getTime()).toBe(now);
  });

  it("evaluates the supported expression subset", () => {
    const event = { name: "a/b", data: { kind: "yes", n: 3, user: { id: "u1" }, function_id: "app-fn" } };
    const ev = (src: string) => compileExpression(src).evaluate({ event });
    expect(ev("event.data.kind == 'yes' && event.data.n > 2")).toBe(true);
    expect(ev('event.data.kind != "yes" || !(event.data.n >= 3)')).toBe(false);
    expect(ev("event.data.function_id == 'app-fn'")).toBe(true);
    expect(ev("event.data.missing == null")).toBe(true);
    expect(ev('event.data["user"].id')).toBe("u1");
    expect(idempotencyKey(compileExpression("event.data.user.id + '-' + event.data.n"), event)).toBe("u1-3");
    expect(idempotencyKey(compileExpression("event.data.nope"), event)).toBeUndefined();
    expect(() => compileExpression("event.data.list.exists(x, x > 1)")).toThrow();
  });

  it("matches wildcard event names", () => {
    expect(eventNameMatches("app/user.*", "app/user.created")).toBe(true);
    expect(eventNameMatches("app/user.*", "app/order.created")).toBe(false);
    expect(eventNameMatches("app/x", "app/x")).toBe(true);
  });

  it("derives stable event ids from the SDK's id seed", () => {
    const seed = `${Date.UTC(2030, 0, 1)},${Buffer.from("0123456789").toString("base64")}`;
    expect(seededUlid(seed, 0)).toBe(seededUlid(seed, 0));
    expect(seededUlid(seed, 1)).not.toBe(seededUlid(seed, 0));
    expect(seededUlid(seed, 0)).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(seededUlid("garbage", 0)).toBeUndefined();
    expect(ulid()).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it("canonicalizes JSON with sorted keys", () => {
    expect(canonicalJson({ b: 1, a: [true, { d: null, c: "x" }], u: undefined })).toBe(
      '{"a":[true,{"c":"x","d":null}],"b":1}',
    );
  });
});

describe("against the real SDK serve handler", () => {
  const signingKey = `signkey-test-${"ab".repeat(32)}`;
  let cloudApp: SdkApp;
  let devApp: SdkApp;

  beforeAll(async () => {
    const cloud = new Inngest({ id: "signed", isDev: false, signingKey, eventKey: "k", logger: quiet });
    cloudApp = await startSdkApp(cloud, [
      cloud.createFunction({ id: "hello", triggers: { event: "t/hello" } }, async () => "hi"),
    ]);
    const dev = new Inngest({ id: "sync-me", isDev: true, baseUrl: "http://127.0.0.1:9", logger: quiet });
    devApp = await startSdkApp(dev, [
      dev.createFunction(
        {
          id: "with-config",
          retries: 5,
          idempotency: "event.data.changeId",
          concurrency: { limit: 2 },
          triggers: [{ event: "t/a", if: "event.data.ok == true" }, { cron: "* * * * *" }],
          onFailure: async () => undefined,
        },
        async () => "x",
      ),
    ]);
  });

  afterAll(async () => {
    await cloudApp?.close();
    await devApp?.close();
  });

  const invokeBody = {
    event: { name: "t/hello", data: {}, id: "e1", ts: 1 },
    events: [{ name: "t/hello", data: {}, id: "e1", ts: 1 }],
    steps: {},
    ctx: {
      run_id: "01TESTRUN",
      attempt: 0,
      max_attempts: 4,
      stack: { stack: [], current: 0 },
      disable_immediate_execution: false,
      use_api: false,
    },
    version: -1,
    use_api: false,
  };

  it("produces X-Inngest-Signature values the SDK accepts in cloud mode", async () => {
    const url = `${cloudApp.url}?fnId=signed-hello&stepId=step`;
    const body = canonicalJson(invokeBody);
    const ok = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-inngest-signature": signBody(body, signingKey) },
      body,
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toBe("hi");

    const bad = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-inngest-signature": signBody(body, `${signingKey}00`) },
      body,
    });
    expect(bad.status).toBe(401);
  });

  it("parses the SDK's in-band sync payload", async () => {
    const res = await fetch(devApp.url, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-inngest-sync-kind": "in_band" },
      body: JSON.stringify({ url: devApp.url }),
    });
    expect(res.headers.get("x-inngest-sync-kind")).toBe("in_band");
    const reg = parseRegistration(await res.json());
    expect(reg.appId).toBe("sync-me");
    const main = reg.functions.find((f) => f.slug === "sync-me-with-config");
    expect(main).toMatchObject({
      maxAttempts: 6,
      idempotency: "event.data.changeId",
      concurrency: [{ limit: 2, scope: "fn" }],
      triggers: [{ event: "t/a", expression: "event.data.ok == true" }],
      crons: ["* * * * *"],
    });
    expect(main?.stepUrl).toContain("fnId=sync-me-with-config");
    const failure = reg.functions.find((f) => f.slug === "sync-me-with-config-failure");
    expect(failure).toMatchObject({
      maxAttempts: 2,
      triggers: [{ event: "inngest/function.failed", expression: "event.data.function_id == 'sync-me-with-config'" }],
    });
  });
});
