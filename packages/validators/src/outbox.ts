// The outbox contract: the API writes events in its transactions, a relay hands them to the event
// bus through an EventPublisher (Inngest in the app), and the jobs consume them.

/** An event as handed to the event bus; `id` is the outbox row id so receivers de-duplicate. */
export interface OutboundEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
}

/** Where committed outbox events go: `inngest.send` in the app, an HTTP receiver in tests. */
export interface EventPublisher {
  publish(events: OutboundEvent[]): Promise<void>;
}
