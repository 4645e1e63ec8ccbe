import { baseConfig } from "@acme/eslint-config/base";

// This package is where the environment is read.
export default [...baseConfig, { files: ["src/**"], rules: { "no-restricted-properties": "off" } }];
