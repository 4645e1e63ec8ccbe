import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardedAgent } from "./guarded-agent";
import {
  checkPushEndpoint,
  normalizePushEndpoint,
  PushEndpointRefused,
  type Lookup,
  type PushEndpointPolicy,
} from "./push-endpoint";
import { loadOrCreateCertificate } from "@acme/push-service";

const policy: PushEndpointPolicy = {
  allowedHosts: [
    "fcm.googleapis.com",
    "*.push.services.mozilla.com",
    "*.push.apple.com",
    "*.notify.windows.com",
    "push.example.org",
  ],
  localOrigins: [],
};
// A resolver with fixed answers, standing in for a DNS zone an attacker controls.
const zone: Record<string, string[]> = {
  "fcm.googleapis.com": ["142.250.74.106"],
  "updates.push.services.mozilla.com": ["34.117.0.1", "10.0.0.5"],
  "push.example.org": ["127.0.0.1"],
  "web.push.apple.com": ["17.188.0.1", "2620:149:a44::1"],
};
const lookup: Lookup = async (host) =>
  (zone[host] ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof PushEndpointRefused) return error.message;
    throw error;
  }
  throw new Error("was accepted");
}

describe("normalizePushEndpoint", () => {
  it.each([
    ["http://fcm.googleapis.com/fcm/send/x", "https"],
    ["https://user:pw@fcm.googleapis.com/fcm/send/x", "credentials"],
    ["https://127.0.0.1:8443/push", "private"],
    ["https://[::1]/push", "private"],
    ["https://[::ffff:127.0.0.1]/push", "private"],
    ["https://169.254.169.254/latest", "private"],
    ["https://localhost/push", "not a known push service"],
    ["https://internal.corp/push", "not a known push service"],
    ["https://evil.com/?fcm.googleapis.com", "not a known push service"],
    ["https://fcm.googleapis.com.evil.com/x", "not a known push service"],
    ["https://push.apple.com/x", "not a known push service"],
    ["javascript:alert(1)", "https"],
  ])("refuses %s", (endpoint, reason) => {
    expect(refusal(() => normalizePushEndpoint(endpoint, policy))).toContain(reason);
  });

  it("accepts the public push services and spells an endpoint one way", () => {
    expect(normalizePushEndpoint("https://FCM.googleapis.com:443/fcm/send/abc#frag", policy)).toBe(
      "https://fcm.googleapis.com/fcm/send/abc",
    );
    expect(normalizePushEndpoint("https://web.push.apple.com/QO", policy)).toBe("https://web.push.apple.com/QO");
    expect(normalizePushEndpoint("https://wns2-by3p.notify.windows.com/w/?token=1", policy)).toBe(
      "https://wns2-by3p.notify.windows.com/w/?token=1",
    );
  });

  it("lets a configured local origin through, and only that origin", () => {
    const local = { ...policy, localOrigins: ["https://127.0.0.1:8036"] };
    expect(normalizePushEndpoint("https://127.0.0.1:8036/push/a", local)).toBe("https://127.0.0.1:8036/push/a");
    expect(refusal(() => normalizePushEndpoint("https://127.0.0.1:8037/push/a", local))).toContain("private");
  });
});

describe("checkPushEndpoint (after DNS)", () => {
  it("refuses an allowed name that resolves to a private address", async () => {
    await expect(checkPushEndpoint("https://push.example.org/x", policy, lookup)).rejects.toThrow(/127\.0\.0\.1/);
    await expect(checkPushEndpoint("https://updates.push.services.mozilla.com/x", policy, lookup)).rejects.toThrow(
      /10\.0\.0\.5/,
    );
    await expect(checkPushEndpoint("https://nowhere.push.apple.com/x", policy, lookup)).rejects.toThrow(/resolve/);
  });

  it("accepts names that resolve to public addresses only", async () => {
    await expect(checkPushEndpoint("https://fcm.googleapis.com/fcm/send/a", policy, lookup)).resolves.toBe(
      "https://fcm.googleapis.com/fcm/send/a",
    );
    await expect(checkPushEndpoint("https://web.push.apple.com/a", policy, lookup)).resolves.toBeDefined();
  });
});

describe("createGuardedAgent", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer(await loadOrCreateCertificate([]), (_req, res) => res.end("reached"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function get(url: string, agent: ReturnType<typeof createGuardedAgent>) {
    return fetchWith(url, agent);
  }

  it("does not connect when the name now resolves to a private address (rebinding)", async () => {
    const agent = createGuardedAgent(policy, { rejectUnauthorized: false }, lookup);
    await expect(get(`https://push.example.org:${port}/`, agent)).rejects.toThrow(/non-public address/);
  });

  it("connects to a configured local push service", async () => {
    const local = { ...policy, localOrigins: [`https://localhost:${port}`] };
    const agent = createGuardedAgent(local, { rejectUnauthorized: false }, async () => [
      { address: "127.0.0.1", family: 4 },
    ]);
    await expect(get(`https://localhost:${port}/`, agent)).resolves.toBe("reached");
  });
});

async function fetchWith(url: string, agent: ReturnType<typeof createGuardedAgent>): Promise<string> {
  const { request } = await import("node:https");
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
}
