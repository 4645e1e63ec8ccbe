import { describe, expect, it } from "vitest";
import { trpcRequestLine } from "./request-log";

describe("trpcRequestLine", () => {
  it("names the procedures and the outcome, never the input", () => {
    const input = encodeURIComponent(JSON.stringify({ 0: { json: { search: "alice@example.com" } } }));
    const request = new Request(
      `http://localhost:3000/api/trpc/admin.deliveries.list,admin.summary?batch=1&input=${input}`,
    );
    const line = trpcRequestLine(request, 200, 12.4);
    expect(line).toBe("GET /api/trpc/admin.deliveries.list,admin.summary 200 in 12ms");
    expect(line).not.toContain("alice");
  });
});
