export {
  startPushService,
  type PushService,
  type PushServiceOptions,
  type PushSubscriptionJSON,
  type CreatedSubscription,
  type CreateSubscriptionOptions,
  type ReceivedPush,
} from "./push-service";
export type { FailOptions, FailStatus } from "./failures";
export { parsePushHeaders, MAX_TTL_SECONDS, type PushHeaders, type Urgency } from "./headers";
export { subjectProblem, type SubjectPolicy } from "./subject";
export { verifyVapid, type VapidClaims, type VapidResult } from "./vapid";
export { loadOrCreateCertificate, type TlsMaterial } from "./tls";
