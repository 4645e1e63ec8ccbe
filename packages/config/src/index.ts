export {
  ConfigError,
  LOCAL_RESEND_KEY_PREFIX,
  loadServerConfig,
  parseEnv,
  serverEnvSchema,
  type MailboxConfig,
  type ServerConfig,
  type VapidConfig,
} from "./server";
export { loadDevstackConfig, type DevstackConfig } from "./devstack";
export {
  assertLocalServiceAllowed,
  loadLocalServiceMode,
  LocalServiceRefusedError,
  type LocalService,
  type LocalServiceMode,
} from "./local-services";
