import { createServer } from "node:net";
import { expect, it } from "vitest";
import { waitForFreePort } from "./ports";

it("waits for a busy port to be released, and gives up on one that stays busy", async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  const { port } = holder.address() as { port: number };
  const messages: string[] = [];
  setTimeout(() => holder.close(), 400);
  await waitForFreePort(port, (m) => messages.push(m), 5_000);
  expect(messages).toEqual([expect.stringMatching(`port ${port} is still in use`)]);

  const stubborn = createServer();
  await new Promise<void>((resolve) => stubborn.listen(port, "127.0.0.1", resolve));
  await expect(waitForFreePort(port, () => undefined, 600)).rejects.toThrow(/in use by another program/);
  await new Promise((resolve) => stubborn.close(resolve));
});
