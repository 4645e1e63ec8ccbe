/** Browser-side Web Push plumbing: support checks, the service worker and the subscription. */

export const SERVICE_WORKER_URL = "/sw.js";

export type PushSupport = "supported" | "unsupported" | "insecure";

export function detectPushSupport(): PushSupport {
  if (typeof window === "undefined") return "unsupported";
  if (!window.isSecureContext) return "insecure";
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window))
    return "unsupported";
  return "supported";
}

/** The VAPID public key (base64url) as the bytes pushManager.subscribe wants. */
export function vapidKeyToBytes(base64Url: string): Uint8Array<ArrayBuffer> {
  const base64 = (base64Url + "=".repeat((4 - (base64Url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration("/");
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** Registers the service worker and subscribes this browser (reusing an existing subscription). */
export async function subscribeThisBrowser(vapidPublicKey: string): Promise<PushSubscription> {
  await navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: "/" });
  const registration = await navigator.serviceWorker.ready;
  const existing = await registration.pushManager.getSubscription();
  if (existing) return existing;
  return registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: vapidKeyToBytes(vapidPublicKey),
  });
}

/** The subscription as the API's pushSubscriptionSchema expects it. */
export function subscriptionPayload(subscription: PushSubscription) {
  const json = subscription.toJSON();
  if (!json.endpoint || !json.keys?.p256dh || !json.keys.auth)
    throw new Error("The browser returned an incomplete push subscription");
  return {
    endpoint: json.endpoint,
    expirationTime: json.expirationTime ?? null,
    keys: { p256dh: json.keys.p256dh, auth: json.keys.auth },
  };
}

/** Why subscribing failed, in words a person can act on. */
export function describePushError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : "";
  if (name === "NotAllowedError")
    return "Notifications are blocked for this site. Allow them in your browser's site settings, then try again.";
  if (name === "AbortError" || name === "InvalidStateError")
    return "Your browser could not reach its push service, so this device can't receive notifications right now. Try again later.";
  return error instanceof Error ? error.message : "Something went wrong while turning on notifications.";
}
