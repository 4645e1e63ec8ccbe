// Starts the outbox sweep with the server: a row committed just before a crash gets published
// when the app comes back.
export async function register() {
  // eslint-disable-next-line no-restricted-properties -- set by Next.js itself, not configuration
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getServices } = await import("./server/services");
  const services = getServices();
  if (services.config.outbox.relay) services.relay.start();
}
