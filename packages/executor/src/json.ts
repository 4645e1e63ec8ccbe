// JSON shapes shared by every part of the executor, and how errors are normalized into them.
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
// `undefined` members are allowed because JSON.stringify drops them.
export type JsonObject = { [key: string]: JsonValue | undefined };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  [key: string]: JsonValue | undefined;
}

/** Memoized step state as the SDK's `stepSchema` expects it. */
export type MemoizedStep = { type: "data"; data: JsonValue } | { type: "error"; error: SerializedError };

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Normalizes anything thrown or returned as an error into the SDK's serialized shape. */
export function toSerializedError(value: unknown, fallbackMessage = "Unknown error"): SerializedError {
  if (value instanceof Error) {
    return { name: value.name || "Error", message: value.message || fallbackMessage, stack: value.stack ?? "" };
  }
  if (isObject(value)) {
    const message =
      typeof value.message === "string" && value.message
        ? value.message
        : typeof value.error === "string" && value.error
          ? value.error
          : fallbackMessage;
    const out: SerializedError = {
      ...(JSON.parse(JSON.stringify(value)) as JsonObject),
      name: typeof value.name === "string" && value.name ? value.name : "Error",
      message,
    };
    if (typeof value.stack === "string") out.stack = value.stack;
    return out;
  }
  if (typeof value === "string" && value) return { name: "Error", message: value };
  return { name: "Error", message: fallbackMessage };
}
