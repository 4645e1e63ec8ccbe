"use client";

import { formatDateTime, formatRelative } from "~/lib/format";
import { describeUserAgent } from "~/lib/user-agent";
import type { RouterOutputs } from "@acme/api";

/** The user's push devices, this browser's marked, each removable. */
export function PushDeviceList({
  devices,
  error,
  thisEndpoint,
  onRemove,
}: {
  /** Undefined while loading. */
  devices: RouterOutputs["push"]["list"] | undefined;
  error: string | null;
  thisEndpoint: string | null;
  onRemove: (endpoint: string) => void;
}) {
  return (
    <>
      <h3 className="card__subtitle">Your devices</h3>
      {error ? (
        <p className="alert alert--error">Could not load your devices: {error}</p>
      ) : !devices ? (
        <p className="muted">Loading devices…</p>
      ) : devices.length === 0 ? (
        <p className="muted">No devices yet. Turn on notifications above to add this one.</p>
      ) : (
        <ul className="device-list" role="list">
          {devices.map((device) => {
            const name = describeUserAgent(device.userAgent);
            const isThis = device.endpoint === thisEndpoint;
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
                  onClick={() => onRemove(device.endpoint)}
                  aria-label={`Remove ${name}${isThis ? " (this device)" : ""}`}
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
