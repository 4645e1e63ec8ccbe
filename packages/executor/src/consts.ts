// Protocol constants, copied from the SDK (checked against its exports in consts.test.ts): the
// executor speaks the wire protocol and does not load the JS SDK at run time.

/** Op codes the SDK sends back (mirrors `StepOpCode` in the inngest SDK). */
export const StepOpCode = {
  WaitForSignal: "WaitForSignal",
  WaitForEvent: "WaitForEvent",
  Step: "Step",
  StepRun: "StepRun",
  StepError: "StepError",
  StepFailed: "StepFailed",
  StepPlanned: "StepPlanned",
  Sleep: "Sleep",
  StepNotFound: "StepNotFound",
  InvokeFunction: "InvokeFunction",
  AiGateway: "AIGateway",
  Gateway: "Gateway",
  RunComplete: "RunComplete",
  DiscoveryRequest: "DiscoveryRequest",
  DeferAdd: "DeferAdd",
  DeferAbort: "DeferAbort",
} as const;
export type StepOpCodeValue = (typeof StepOpCode)[keyof typeof StepOpCode];

export const HeaderKeys = {
  Signature: "x-inngest-signature",
  NoRetry: "x-inngest-no-retry",
  RetryAfter: "retry-after",
  RequestVersion: "x-inngest-req-version",
  ServerKind: "x-inngest-server-kind",
  SyncKind: "x-inngest-sync-kind",
  EventIdSeed: "x-inngest-event-id-seed",
} as const;

/** Events Inngest emits itself (mirrors the SDK's `internalEvents`). */
export const InternalEvents = {
  FunctionFailed: "inngest/function.failed",
  FunctionFinished: "inngest/function.finished",
  ScheduledTimer: "inngest/scheduled.timer",
} as const;
