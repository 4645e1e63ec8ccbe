// Service worker for Profile Notify: shows account notices sent by web push and, when one is
// clicked, opens its url: the "this wasn't me" page (/secure#<token>) or the profile page.
// Payload: { title, body, url, tag, changeId, generation }.

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

// Push services have no idempotency key: a send repeated after a crash or a lost answer can arrive
// twice. Each change is shown once per device; a repeat is dropped without a second alert.
const SHOWN_DB = "profile-notify-shown";
const SHOWN_STORE = "changes";
const SHOWN_KEEP = 500;

function openShownDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(SHOWN_DB, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(SHOWN_STORE, { keyPath: "changeId" });
      store.createIndex("shownAt", "shownAt");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Records `changeId` as shown and says whether this push is the first to claim it (one transaction, so two copies racing cannot both win). */
async function claimFirstShowing(changeId, generation) {
  const db = await openShownDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(SHOWN_STORE, "readwrite");
      const store = tx.objectStore(SHOWN_STORE);
      let first = false;
      const existing = store.get(changeId);
      existing.onsuccess = () => {
        if (existing.result) return;
        first = true;
        store.put({ changeId, generation, shownAt: Date.now() });
        // Forget the oldest beyond what any retry could still repeat.
        const count = store.count();
        count.onsuccess = () => {
          let excess = count.result - SHOWN_KEEP;
          if (excess <= 0) return;
          store.index("shownAt").openCursor().onsuccess = (event) => {
            const cursor = event.target.result;
            if (!cursor || excess-- <= 0) return;
            cursor.delete();
            cursor.continue();
          };
        };
      };
      tx.oncomplete = () => resolve(first);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

async function showProfileChange(payload) {
  if (typeof payload.changeId === "string" && payload.changeId) {
    const first = await claimFirstShowing(payload.changeId, payload.generation ?? 0).catch(() => true);
    if (!first) return;
  }
  const title = typeof payload.title === "string" && payload.title ? payload.title : "Your profile changed";
  const options = {
    body: typeof payload.body === "string" ? payload.body : "",
    icon: "/notification-icon.png",
    badge: "/notification-badge.png",
    data: { url: typeof payload.url === "string" && payload.url ? payload.url : "/profile" },
  };
  if (typeof payload.tag === "string" && payload.tag) options.tag = payload.tag;
  await self.registration.showNotification(title, options);
}

self.addEventListener("push", (event) => {
  event.waitUntil(showProfileChange(readPayload(event.data)));
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
