// http_ece ships no types; this covers the part used here.
declare module "http_ece" {
  import type { ECDH } from "node:crypto";

  export interface EceParams {
    version?: "aes128gcm" | "aesgcm";
    privateKey?: ECDH;
    /** base64url string or raw bytes */
    authSecret?: string | Buffer;
    dh?: string | Buffer;
    salt?: string | Buffer;
    key?: string | Buffer;
    keyid?: string;
    rs?: number;
  }

  export function decrypt(buffer: Buffer, params: EceParams): Buffer;
  export function encrypt(buffer: Buffer, params: EceParams): Buffer;
}
