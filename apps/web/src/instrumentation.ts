// Starts the outbox sweep with the server: a row committed just before a crash gets published
// when the app comes back.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.OUTBOX_RELAY === "off") return;
  const { getServices } = await import("./server/services");
  getServices().relay.start();
}
