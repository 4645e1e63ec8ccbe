"use client";

import { useCallback, useEffect, useState } from "react";
import { formatDateTime, formatRelative } from "~/lib/format";
import {
  currentSubscription,
  describePushError,
  detectPushSupport,
  subscribeThisBrowser,
  subscriptionPayload,
  type PushSupport,
} from "~/lib/push";
import { describeUserAgent } from "~/lib/user-agent";
import { errorMessage } from "~/lib/trpc-errors";
import { api } from "~/trpc/react";

type BrowserState =
  | { kind: "checking" }
  | { kind: "unavailable"; support: Exclude<PushSupport, "supported"> }
  | { kind: "ready"; permission: NotificationPermission; endpoint: string | null };

/** Whether this browser can take push messages, and its current subscription. */
async function readBrowserState(): Promise<BrowserState> {
  const support = detectPushSupport();
  if (support !== "supported") return { kind: "unavailable", support };
  const subscription = await currentSubscription().catch(() => null);
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
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      await refreshBrowser();
      // "denied": the note under the switch already says they are blocked and what to do.
      if (permission === "default")
        setMessage({ tone: "info", text: "Notifications stay off: permission was not given." });
      return;
    }
    const subscription = await subscribeThisBrowser(vapidKey);
    await subscribe.mutateAsync(subscriptionPayload(subscription));
    setMessage({
      tone: "success",
      text: "Notifications are on for this device. You'll get one each time your profile changes.",
    });
  }

  async function turnOff() {
    const subscription = await currentSubscription();
    const target = subscription?.endpoint ?? endpoint;
    if (subscription) await subscription.unsubscribe();
    if (target) await unsubscribe.mutateAsync({ endpoint: target });
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
      await Promise.all([refreshBrowser(), utils.push.list.invalidate()]);
      setBusy(false);
    }
  }

  async function removeDevice(deviceEndpoint: string) {
    setMessage(null);
    try {
      if (deviceEndpoint === endpoint) {
        const subscription = await currentSubscription();
        await subscription?.unsubscribe();
      }
      await unsubscribe.mutateAsync({ endpoint: deviceEndpoint });
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

      <h3 className="card__subtitle">Your devices</h3>
      {devices.isPending ? (
        <p className="muted">Loading devices…</p>
      ) : devices.isError ? (
        <p className="alert alert--error">Could not load your devices: {devices.error.message}</p>
      ) : devices.data.length === 0 ? (
        <p className="muted">No devices yet. Turn on notifications above to add this one.</p>
      ) : (
        <ul className="device-list" role="list">
          {devices.data.map((device) => {
            const name = describeUserAgent(device.userAgent);
            const isThis = device.endpoint === endpoint;
            return (
              <li key={device.id} className="device">
                <span className="device__icon" aria-hidden="true">
                  {/Android|iPhone|iPad/.test(name) ? "▯" : "▭"}
                </span>
                <div className="device__body">
                  <p className="device__name">
                    {name}
                    {isThis && <span className="pill pill--accent">This device</span>}
                  </p>
                  <p className="device__meta">
                    Added{" "}
                    <time dateTime={device.createdAt.toISOString()} title={formatDateTime(device.createdAt)}>
                      {formatRelative(device.createdAt)}
                    </time>
                    {" · "}
                    {device.lastSuccessAt ? (
                      <>
                        last notified{" "}
                        <time
                          dateTime={device.lastSuccessAt.toISOString()}
                          title={formatDateTime(device.lastSuccessAt)}
                        >
                          {formatRelative(device.lastSuccessAt)}
                        </time>
                      </>
                    ) : (
                      "not notified yet"
                    )}
                  </p>
                </div>
                <button
                  type="button"
                  className="button button--ghost button--small"
                  onClick={() => removeDevice(device.endpoint)}
                  aria-label={`Remove ${name}${isThis ? " (this device)" : ""}`}
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
