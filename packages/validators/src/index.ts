export * from "./profile";
export * from "./events";
export * from "./push";
