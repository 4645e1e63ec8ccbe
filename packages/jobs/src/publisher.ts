import type { EventPublisher } from "@acme/validators";
import { inngest } from "./client";

/** The outbox relay's publisher: `inngest.send`, keeping the outbox id as the event id. */
export function createInngestPublisher(client = inngest): EventPublisher {
  return {
    async publish(events) {
      await client.send(events.map(({ id, name, data, ts }) => ({ id, name, data, ts })));
    },
  };
}
