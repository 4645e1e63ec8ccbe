import type { NextConfig } from "next";

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
  // The dev server serves its scripts to the loopback names of this machine, not only to "localhost".
  allowedDevOrigins: ["127.0.0.1", "[::1]"],
  typescript: { ignoreBuildErrors: false },
};

export default config;
