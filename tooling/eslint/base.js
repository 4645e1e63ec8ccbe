import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * Besides @acme/config, files that may read `process.env`: the programs that start things (CLIs,
 * benchmarks, test set-up). Everything else receives configuration as arguments.
 */
export const envReaders = [
  "**/cli.ts",
  "**/bench/**",
  "**/e2e/**",
  "**/test/**",
  "**/*.test.ts",
  "**/*.test.tsx",
  "**/testing.ts",
  "**/test-helpers.ts",
  "**/conformance*.ts",
  "**/*.config.ts",
];

export const baseConfig = tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "**/.next/**",
      "**/generated/**",
      "**/test-results/**",
      "**/playwright-report/**",
    ],
  },
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { prefer: "type-imports", fixStyle: "inline-type-imports" },
      ],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/only-throw-error": "error",
      // Async callbacks are the shape SDKs ask for (Inngest steps, better-auth hooks) even without an await.
      "@typescript-eslint/require-await": "off",
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through @acme/config and pass it down." },
      ],
    },
  },
  { files: envReaders, rules: { "no-restricted-properties": "off" } },
  {
    // Asymmetric matchers (`expect.any`, `expect.objectContaining`) are typed `any`.
    files: ["**/*.test.ts", "**/*.test.tsx", "**/test/**", "**/e2e/**", "**/conformance*.ts", "**/test-helpers.ts"],
    rules: { "@typescript-eslint/no-unsafe-assignment": "off", "@typescript-eslint/no-unsafe-argument": "off" },
  },
  { files: ["**/*.js"], extends: [tseslint.configs.disableTypeChecked] },
);

export default baseConfig;
