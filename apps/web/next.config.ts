import { networkInterfaces } from "node:os";
import type { NextConfig } from "next";

// This machine's IPv4 addresses: the "Network" address `next dev` prints must get its scripts too.
const networkAddresses = Object.values(networkInterfaces())
  .flat()
  .filter((address) => address?.family === "IPv4" && !address.internal)
  .map((address) => address!.address);

const config: NextConfig = {
  transpilePackages: ["@acme/api", "@acme/auth", "@acme/db", "@acme/jobs", "@acme/validators"],
  // Native-ish server libraries stay as plain Node requires rather than being bundled.
  serverExternalPackages: [
    "pg",
    "@prisma/adapter-pg",
    "web-push",
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "@prisma/schema-engine-wasm",
  ],
  poweredByHeader: false,
  // tRPC requests log their own line without the query string, which carries inputs (personal data).
  logging: { incomingRequests: { ignore: [/\/api\/trpc\//] } },
  // The dev server serves its scripts to this machine under each of its names, not only "localhost".
  allowedDevOrigins: ["127.0.0.1", "[::1]", ...networkAddresses],
  typescript: { ignoreBuildErrors: false },
  // forbidden() renders app/forbidden.tsx with HTTP 403 (non-admins on /admin).
  experimental: { authInterrupts: true },
  // On everything, static files included; the CSP (per-response nonce) is set in src/proxy.ts.
  headers: async () => [
    {
      source: "/:path*",
      headers: [
        { key: "X-Content-Type-Options", value: "nosniff" },
        { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        { key: "X-Frame-Options", value: "DENY" },
      ],
    },
  ],
};

export default config;
