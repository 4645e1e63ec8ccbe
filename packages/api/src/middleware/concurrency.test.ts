import { describe, expect, it } from "vitest";
import { RequestSlots } from "./concurrency";

describe("RequestSlots", () => {
  it("runs at most `size` pieces of work at once and all of them in the end", async () => {
    const slots = new RequestSlots(2);
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        slots
          .run(async () => {
            running += 1;
            most = Math.max(most, running);
            await new Promise((resolve) => setTimeout(resolve, 10));
            running -= 1;
            if (i === 3) throw new Error("one fails");
            return i;
          })
          .catch(() => -1),
      ),
    );
    expect(most).toBe(2);
    expect(results).toEqual([0, 1, 2, -1, 4, 5, 6]);
  });
});
