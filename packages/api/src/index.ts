import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { appRouter, type AppRouter } from "./root";
import { createCallerFactory } from "./trpc";

export { appRouter, type AppRouter };
export {
  apiConfigFrom,
  createContextInner,
  createTRPCContext,
  type Context,
  type ApiConfig,
  type RequestMeta,
} from "./trpc";
export { apiResponseMeta, limitRequestBody, payloadTooLarge } from "./http";
export { OutboxRelay, type OutboxRelayOptions } from "./outbox/relay";
export { diffProfile } from "./profile/changes";
export {
  adminRoleNotifier,
  recordAccountEvent,
  type AccountEvent,
  type RecordedAccountEvent,
} from "./account-events/record";
export { createPasswordEventHooks } from "./account-events/password-events";
export { requestMetaFromHeaders } from "./request-meta";

export const createCaller = createCallerFactory(appRouter);

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
