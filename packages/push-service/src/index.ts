export {
  startPushService,
  type PushService,
  type PushServiceOptions,
  type PushSubscriptionJSON,
  type CreatedSubscription,
  type CreateSubscriptionOptions,
  type ReceivedPush,
  type FailOptions,
  type Urgency,
} from "./push-service";
export { verifyVapid, type VapidClaims, type VapidResult } from "./vapid";
export { loadOrCreateCertificate, type TlsMaterial } from "./tls";
