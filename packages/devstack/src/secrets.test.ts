import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LOCAL_RESEND_KEY_PREFIX } from "@acme/config";
import { loadOrCreateSecrets } from "./secrets";

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("loadOrCreateSecrets", () => {
  it("generates every local secret once and reads the same ones back", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "secrets-"));
    const first = loadOrCreateSecrets(dir);
    expect(first.mailboxApiKey).toMatch(new RegExp(`^${LOCAL_RESEND_KEY_PREFIX}_[0-9a-f]{32}$`));
    expect(first.inngestSigningKey).toMatch(/^signkey-prod-[0-9a-f]{64}$/);
    expect(first.inngestEventKey).toMatch(/^[\w-]{43}$/);
    expect(loadOrCreateSecrets(dir)).toEqual(first);
  });

  it("adds what an older file lacks and keeps what it has", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "secrets-"));
    const old = { authSecret: "kept-auth-secret", vapidPublicKey: "pub", vapidPrivateKey: "priv" };
    await writeFile(path.join(dir, "secrets.json"), JSON.stringify(old));
    const upgraded = loadOrCreateSecrets(dir);
    expect(upgraded).toMatchObject(old);
    expect(upgraded.mailboxApiKey).toMatch(/^re_local_/);
    expect(JSON.parse(await readFile(path.join(dir, "secrets.json"), "utf8"))).toEqual(upgraded);
  });
});
