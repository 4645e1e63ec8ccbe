export * from "./profile";
export * from "./changes";
export * from "./delivery";
export * from "./events";
export * from "./outbox";
export * from "./push";
export * from "./account-events";
export * from "./account-event-text";
