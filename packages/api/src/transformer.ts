import superjson from "superjson";

// Keys that reach an object's prototype: dropped silently by a plain parse, so refused up front
// like any other key the schemas do not know.
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const MAX_DEPTH = 64;

export class ForbiddenKeyError extends Error {
  constructor(readonly key: string) {
    super(`Unrecognized key: "${key}"`);
  }
}

function findPrototypeKey(value: unknown, depth = 0): string | null {
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return null;
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) return key;
    const found = findPrototypeKey((value as Record<string, unknown>)[key], depth + 1);
    if (found) return found;
  }
  return null;
}

/** superjson on the wire, with inputs checked for prototype keys before they are revived. */
export const transformer = {
  input: {
    serialize: (value: unknown) => superjson.serialize(value),
    deserialize: (payload: unknown) => {
      const key = findPrototypeKey(payload);
      if (key) throw new ForbiddenKeyError(key);
      return superjson.deserialize(payload as Parameters<typeof superjson.deserialize>[0]);
    },
  },
  output: superjson,
};
