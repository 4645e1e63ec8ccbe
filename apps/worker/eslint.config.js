import { baseConfig } from "@acme/eslint-config/base";

export default baseConfig;
