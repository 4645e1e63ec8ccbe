import type { NextConfig } from "next";

const config: NextConfig = {
  transpilePackages: ["@acme/api", "@acme/auth", "@acme/db", "@acme/jobs", "@acme/validators"],
  // Native-ish server libraries stay as plain Node requires rather than being bundled.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "web-push", "@electric-sql/pglite", "@electric-sql/pglite-socket", "@prisma/schema-engine-wasm"],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
};

export default config;
