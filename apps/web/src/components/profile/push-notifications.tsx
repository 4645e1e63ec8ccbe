"use client";

import { useCallback, useEffect, useState } from "react";
import {
  currentSubscription,
  describePushError,
  detectPushSupport,
  subscribeThisBrowser,
  subscriptionPayload,
  type PushSupport,
} from "~/lib/push";
import { PUSH_STEP_TIMEOUT_MS, withinTime } from "~/lib/bounded";
import { errorMessage } from "~/lib/trpc-errors";
import { api } from "~/trpc/react";
import { PushDeviceList } from "./push-device-list";

const seconds = PUSH_STEP_TIMEOUT_MS / 1000;
// Each step of the toggle gives up after a bounded wait, with what to do next.
const GAVE_UP = {
  permission: `Your browser did not answer the permission request within ${seconds} seconds, so notifications stay off. Reload the page and try again.`,
  subscribe: `Your browser's push service did not answer within ${seconds} seconds, so this device can't receive notifications right now. Try again later.`,
  unsubscribe: `Turning notifications off did not finish within ${seconds} seconds. Try again.`,
  server: `The server did not answer within ${seconds} seconds. Try again in a moment.`,
};
const bounded = <T,>(promise: Promise<T>, message: string) => withinTime(promise, PUSH_STEP_TIMEOUT_MS, message);

type BrowserState =
  | { kind: "checking" }
  | { kind: "unavailable"; support: Exclude<PushSupport, "supported"> }
  | { kind: "ready"; permission: NotificationPermission; endpoint: string | null };

/** Whether this browser can take push messages, and its current subscription. */
async function readBrowserState(): Promise<BrowserState> {
  const support = detectPushSupport();
  if (support !== "supported") return { kind: "unavailable", support };
  const subscription = await withinTime(currentSubscription(), PUSH_STEP_TIMEOUT_MS, "").catch(() => null);
  return { kind: "ready", permission: Notification.permission, endpoint: subscription?.endpoint ?? null };
}

export function PushNotifications() {
  const utils = api.useUtils();
  const publicKey = api.push.publicKey.useQuery(undefined, { staleTime: Infinity });
  const devices = api.push.list.useQuery();
  const subscribe = api.push.subscribe.useMutation();
  const unsubscribe = api.push.unsubscribe.useMutation();

  const [browser, setBrowser] = useState<BrowserState>({ kind: "checking" });
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "success" | "error" | "info"; text: string } | null>(null);

  const refreshBrowser = useCallback(async () => setBrowser(await readBrowserState()), []);

  useEffect(() => {
    let cancelled = false;
    void readBrowserState().then((state) => !cancelled && setBrowser(state));
    return () => {
      cancelled = true;
    };
  }, []);

  const endpoint = browser.kind === "ready" ? browser.endpoint : null;
  // On means: this browser holds a subscription and the server still knows it.
  const on = Boolean(endpoint && devices.data?.some((d) => d.endpoint === endpoint));
  const vapidKey = publicKey.data?.publicKey ?? null;

  async function turnOn() {
    if (!vapidKey) return;
    const permission = await bounded(Notification.requestPermission(), GAVE_UP.permission);
    if (permission !== "granted") {
      await refreshBrowser();
      // "denied": the note under the switch already says they are blocked and what to do.
      if (permission === "default")
        setMessage({ tone: "info", text: "Notifications stay off: permission was not given." });
      return;
    }
    const subscription = await bounded(subscribeThisBrowser(vapidKey), GAVE_UP.subscribe);
    await bounded(subscribe.mutateAsync(subscriptionPayload(subscription)), GAVE_UP.server);
    setMessage({
      tone: "success",
      text: "Notifications are on for this device. You'll get one each time your profile changes.",
    });
  }

  async function turnOff() {
    const subscription = await bounded(currentSubscription(), GAVE_UP.unsubscribe);
    const target = subscription?.endpoint ?? endpoint;
    if (subscription) await bounded(subscription.unsubscribe(), GAVE_UP.unsubscribe);
    if (target) await bounded(unsubscribe.mutateAsync({ endpoint: target }), GAVE_UP.server);
    setMessage({ tone: "info", text: "Notifications are off for this device." });
  }

  async function toggle() {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      await (on ? turnOff() : turnOn());
    } catch (error) {
      // A refusal the browser remembers is shown once, by the note; other failures here.
      const blocked = error instanceof DOMException && error.name === "NotAllowedError";
      if (!(blocked && Notification.permission === "denied"))
        setMessage({ tone: "error", text: describePushError(error) });
    } finally {
      // Bounded too: a browser that hangs on the subscription must not keep the switch on "…".
      await bounded(Promise.all([refreshBrowser(), utils.push.list.invalidate()]), GAVE_UP.server).catch(
        () => undefined,
      );
      setBusy(false);
    }
  }

  async function removeDevice(deviceEndpoint: string) {
    setMessage(null);
    try {
      if (deviceEndpoint === endpoint) {
        const subscription = await bounded(currentSubscription(), GAVE_UP.unsubscribe);
        await bounded(subscription?.unsubscribe() ?? Promise.resolve(true), GAVE_UP.unsubscribe);
      }
      await bounded(unsubscribe.mutateAsync({ endpoint: deviceEndpoint }), GAVE_UP.server);
      setMessage({ tone: "info", text: "Device removed. It will no longer get notifications." });
    } catch (error) {
      setMessage({ tone: "error", text: errorMessage(error) });
    } finally {
      await Promise.all([refreshBrowser(), utils.push.list.invalidate()]);
    }
  }

  const unavailableReason =
    browser.kind === "unavailable"
      ? browser.support === "insecure"
        ? "Push notifications need a secure connection (HTTPS or localhost)."
        : "This browser doesn't support push notifications. Try a recent Chrome, Edge, Firefox or Safari."
      : publicKey.isSuccess && !vapidKey
        ? "Push notifications aren't set up on this server yet (no VAPID key)."
        : browser.kind === "ready" && browser.permission === "denied" && !on
          ? "Notifications are blocked for this site. Allow them in your browser's site settings to turn them on."
          : null;
  const canToggle =
    browser.kind === "ready" && Boolean(vapidKey) && devices.isSuccess && !(browser.permission === "denied" && !on);

  return (
    <section className="card" aria-labelledby="push-title">
      <h2 id="push-title" className="card__title">
        Push notifications
      </h2>
      <div className="switch-row">
        <div>
          <p className="switch-row__label" id="push-switch-label">
            Notify this device
          </p>
          <p className="muted switch-row__hint" id="push-switch-hint">
            {browser.kind === "checking" || devices.isPending
              ? "Checking this browser…"
              : on
                ? "On — this browser shows a notification when your profile changes."
                : "Off — turn on to get a notification here when your profile changes."}
          </p>
        </div>
        <button
          type="button"
          role="switch"
          suppressHydrationWarning
          aria-checked={on}
          aria-labelledby="push-switch-label"
          aria-describedby="push-switch-hint"
          className="switch"
          disabled={!canToggle || busy}
          aria-busy={busy}
          onClick={toggle}
        >
          <span className="switch__thumb" aria-hidden="true" />
          <span className="switch__text" aria-hidden="true">
            {busy ? "…" : on ? "On" : "Off"}
          </span>
        </button>
      </div>
      {unavailableReason && (
        <p className="alert alert--warning" role="note">
          {unavailableReason}
        </p>
      )}
      <div role="status" aria-live="polite">
        {message && <p className={`alert alert--${message.tone}`}>{message.text}</p>}
      </div>

      <PushDeviceList
        devices={devices.data}
        error={devices.isError ? devices.error.message : null}
        thisEndpoint={endpoint}
        onRemove={removeDevice}
      />
    </section>
  );
}
