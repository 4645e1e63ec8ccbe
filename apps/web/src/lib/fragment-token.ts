"use client";

import { useSyncExternalStore } from "react";

function subscribe(onChange: () => void) {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

/**
 * The token in the page's URL fragment (`/secure#<token>`, `/reset-password#<token>`): browsers never
 * send a fragment, so the token stays out of every server and proxy log. Undefined while rendering on
 * the server (not known yet), null when the fragment is empty; follows a new fragment in the same tab.
 */
export function useFragmentToken(): string | null | undefined {
  return useSyncExternalStore(
    subscribe,
    () => decodeURIComponent(window.location.hash.slice(1)) || null,
    () => undefined,
  );
}
