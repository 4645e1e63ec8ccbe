export { canonicalAddress, isPublicAddress } from "./address";
export {
  checkPushEndpoint,
  isLocalOrigin,
  normalizePushEndpoint,
  PushEndpointRefused,
  vettedAddresses,
  type Lookup,
  type PushEndpointPolicy,
} from "./push-endpoint";
export { createGuardedAgent } from "./guarded-agent";
