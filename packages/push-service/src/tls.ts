import { X509Certificate } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface TlsMaterial {
  /** PEM private key */
  key: string;
  /** PEM self-signed certificate */
  cert: string;
}

const DEFAULT_NAMES = ["localhost", "127.0.0.1", "::1"];
const VALID_DAYS = 365;
// Regenerate a cached certificate a day before it lapses, not mid-run.
const RENEW_MARGIN_MS = 24 * 60 * 60 * 1000;

/**
 * A self-signed certificate for the given names. With `dir`, the pair is kept as
 * `dir/key.pem` + `dir/cert.pem` and reused, so other processes can trust it
 * through NODE_EXTRA_CA_CERTS=dir/cert.pem (read once at their start).
 */
export async function loadOrCreateCertificate(names: readonly string[], dir?: string): Promise<TlsMaterial> {
  const wanted = [...new Set([...DEFAULT_NAMES, ...names])];
  if (dir) {
    const cached = await readCached(dir, wanted);
    if (cached) return cached;
  }
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notAfterDate: new Date(Date.now() + VALID_DAYS * 24 * 60 * 60 * 1000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: wanted.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })),
      },
    ],
  });
  const material = { key: pems.private, cert: pems.cert };
  if (dir) {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "key.pem"), material.key, { mode: 0o600 });
    await writeFile(join(dir, "cert.pem"), material.cert);
  }
  return material;
}

async function readCached(dir: string, names: readonly string[]): Promise<TlsMaterial | null> {
  try {
    const [key, cert] = await Promise.all([
      readFile(join(dir, "key.pem"), "utf8"),
      readFile(join(dir, "cert.pem"), "utf8"),
    ]);
    const x509 = new X509Certificate(cert);
    const fresh = Date.parse(x509.validTo) - Date.now() > RENEW_MARGIN_MS;
    const covers = names.every((n) => (isIP(n) ? x509.checkIP(n) : x509.checkHost(n)) !== undefined);
    return fresh && covers ? { key, cert } : null;
  } catch {
    return null;
  }
}
