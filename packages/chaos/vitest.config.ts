import { defineConfig } from "vitest/config";

// Unit tests of the chaos program's own logic; the program itself runs with `pnpm test:chaos`.
export default defineConfig({ test: { include: ["src/**/*.test.ts"] } });
