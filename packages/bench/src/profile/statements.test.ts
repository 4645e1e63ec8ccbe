import { describe, expect, it } from "vitest";
import { BASELINE_ROLE, senderOf, summarizeStatements, type StatementRow } from "./statements";

const row = (query: string, calls: number, role = "postgres", walRecords = 0): StatementRow => ({
  role,
  query,
  calls,
  totalMs: calls * 0.1,
  walRecords,
});

describe("statements", () => {
  it("tells the sender by role and schema", () => {
    expect(senderOf(row("SELECT 1", 1, BASELINE_ROLE))).toBe("baseline");
    expect(senderOf(row('SELECT * FROM "inngest_executor".runs', 1))).toBe("executor");
    expect(senderOf(row('SELECT * FROM "User"', 1))).toBe("app");
  });

  it("adds up readings of several phases and divides by the units of work", () => {
    const rows = [
      row("BEGIN", 10),
      row("COMMIT", 10),
      row('UPDATE "User" SET x = $1', 10, "postgres", 10),
      row("BEGIN", 10),
      row("COMMIT", 10),
      row('INSERT INTO "inngest_executor".jobs VALUES ($1)', 20, "postgres", 20),
      row("SELECT 1", 99, BASELINE_ROLE),
    ];
    const summary = summarizeStatements(rows, ["app", "executor"], 10);
    expect(summary.perUnit).toBe(7);
    expect(summary.commitsPerUnit).toBe(2);
    expect(summary.writesPerUnit).toBe(3);
    expect(summary.bySender).toEqual({ app: 1, executor: 2 });
    expect(summary.top[0]).toMatchObject({ perUnit: 2 });
  });
});
