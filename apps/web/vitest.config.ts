import { defineConfig } from "vitest/config";

// Unit tests of the web app's own logic; the browser suite is Playwright's (e2e/).
export default defineConfig({ test: { include: ["src/**/*.test.ts"] } });
