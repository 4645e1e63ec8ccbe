// Service worker for Profile Notify: shows profile-change notifications sent by web push and
// brings the profile page forward when one is clicked. Payload: { title, body, url, tag }.

self.addEventListener("install", () => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

function readPayload(data) {
  if (!data) return {};
  try {
    const json = data.json();
    return json && typeof json === "object" ? json : {};
  } catch {
    return { body: data.text() };
  }
}

self.addEventListener("push", (event) => {
  const payload = readPayload(event.data);
  const title = typeof payload.title === "string" && payload.title ? payload.title : "Your profile changed";
  const options = {
    body: typeof payload.body === "string" ? payload.body : "",
    icon: "/notification-icon.png",
    badge: "/notification-badge.png",
    data: { url: typeof payload.url === "string" && payload.url ? payload.url : "/profile" },
  };
  if (typeof payload.tag === "string" && payload.tag) {
    options.tag = payload.tag;
    // A newer change under the same tag replaces the old notification and alerts again.
    options.renotify = true;
  }
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || "/profile", self.location.origin);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const exact = windows.find((client) => client.url === target.href);
      if (exact) return exact.focus();
      const sameOrigin = windows.find((client) => new URL(client.url).origin === target.origin);
      if (sameOrigin) {
        await sameOrigin.focus();
        return sameOrigin.navigate(target.href);
      }
      return self.clients.openWindow(target.href);
    })(),
  );
});
