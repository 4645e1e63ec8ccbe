import { errors, importJWK, jwtVerify } from "jose";
import { subjectProblem } from "./subject";

export interface VapidClaims {
  /** `sub`: the application server's contact, mailto: or https: */
  subject: string;
  /** `aud`: the push service origin the token was minted for */
  audience: string;
  /** `k`: the application server's public key (base64url, uncompressed P-256 point) */
  publicKey: string;
  /** `exp` in seconds since the epoch */
  expiresAt: number;
}

export type VapidResult = { ok: true; claims: VapidClaims } | { ok: false; status: 401 | 403; message: string };

const MAX_LIFETIME_SECONDS = 24 * 60 * 60;
const CLOCK_TOLERANCE_SECONDS = 60;

/**
 * Checks an RFC 8292 `Authorization: vapid t=<jwt>, k=<key>` header.
 * Per RFC 8292 §4.2: absent authentication → 401, invalid authentication → 403.
 */
export async function verifyVapid(header: string | undefined, audiences: readonly string[]): Promise<VapidResult> {
  const scheme = /^vapid\s+(.+)$/i.exec(header?.trim() ?? "");
  if (!scheme?.[1]) {
    return {
      ok: false,
      status: 401,
      message: "Missing VAPID authentication (expected `Authorization: vapid t=<jwt>, k=<key>`).",
    };
  }
  const params = new Map<string, string>();
  for (const part of scheme[1].split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const token = params.get("t");
  const k = params.get("k");
  if (!token || !k) return forbidden("VAPID header needs both `t` and `k` parameters.");

  const point = Buffer.from(k, "base64url");
  if (point.length !== 65 || point[0] !== 0x04) {
    return forbidden("VAPID `k` must be an uncompressed P-256 public key (65 bytes, base64url).");
  }
  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK(
      {
        kty: "EC",
        crv: "P-256",
        x: point.subarray(1, 33).toString("base64url"),
        y: point.subarray(33).toString("base64url"),
      },
      "ES256",
    );
  } catch {
    return forbidden("VAPID `k` is not a valid P-256 public key.");
  }

  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ["ES256"],
      audience: [...audiences],
      requiredClaims: ["aud", "exp", "sub"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    const exp = payload.exp as number;
    if (exp - Date.now() / 1000 > MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
      return forbidden("VAPID JWT `exp` is more than 24 hours in the future.");
    }
    const sub = payload.sub ?? "";
    const problem = subjectProblem(sub, "uri");
    if (problem) return forbidden(problem);
    const aud = Array.isArray(payload.aud) ? (payload.aud[0] ?? "") : (payload.aud ?? "");
    return { ok: true, claims: { subject: sub, audience: aud, publicKey: k, expiresAt: exp } };
  } catch (err) {
    if (err instanceof errors.JOSEError) return forbidden(`VAPID JWT rejected: ${err.message} (${err.code}).`);
    throw err;
  }
}

const forbidden = (message: string): VapidResult => ({ ok: false, status: 403, message });
