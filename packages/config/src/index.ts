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
export { loadWorkerConfig, workerEnvironment, type WorkerConfig } from "./worker";
export {
  isPlaceholderDomain,
  preflight,
  senderDomain,
  vapidSubjectProblem,
  type PreflightFinding,
  type PreflightInput,
} from "./preflight";
export {
  assertLocalServiceAllowed,
  loadLocalServiceMode,
  LocalServiceRefusedError,
  type LocalService,
  type LocalServiceMode,
} from "./local-services";
export { inngestAccess, runPageFor, type InngestAccess } from "./inngest";
export { PUBLIC_PUSH_HOSTS, type RateLimitRule, type SecurityConfig, type TrustedProxies } from "./security";
export {
  frontProblem,
  loadFrontConfig,
  loadRequestPolicyConfig,
  type FrontConfig,
  type RequestPolicyConfig,
} from "./front";
