// Identifiers: ULIDs for runs and events (including the SDK's seeded event ids) and step id hashes.
import { createHash, randomBytes } from "node:crypto";

export function hashStepId(id: string): string {
  return createHash("sha1").update(id).digest("hex");
}

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function encodeUlid(timeMs: number, entropy: bigint): string {
  let time = "";
  let t = Math.max(0, Math.floor(timeMs));
  for (let i = 0; i < 10; i++) {
    time = crockford[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let rand = "";
  let e = entropy & ((1n << 80n) - 1n);
  for (let i = 0; i < 16; i++) {
    rand = crockford[Number(e % 32n)] + rand;
    e /= 32n;
  }
  return time + rand;
}

const bytesToBigInt = (bytes: Uint8Array): bigint => bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);

export function ulid(now = Date.now()): string {
  return encodeUlid(now, bytesToBigInt(randomBytes(10)));
}

/**
 * The SDK sends `x-inngest-event-id-seed: <millis>,<base64 10 bytes>` so that a retried
 * send yields the same event ids; the n-th event gets entropy + n.
 */
export function seededUlid(seed: string, index: number): string | undefined {
  const [millisRaw, entropyRaw] = seed.split(",");
  const millis = Number(millisRaw);
  if (!Number.isFinite(millis) || !entropyRaw) return undefined;
  const entropy = Buffer.from(entropyRaw, "base64");
  if (entropy.length !== 10) return undefined;
  return encodeUlid(millis, bytesToBigInt(entropy) + BigInt(index));
}

const ulidRe = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i;

/** True for a syntactically valid ULID (Crockford base32, 26 characters, within the time range). */
export function isUlid(value: string): boolean {
  return ulidRe.test(value);
}
