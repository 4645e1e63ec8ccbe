import type { DeliveryChannelName as DeliveryChannel, DeliveryStatusName as DeliveryStatus } from "@acme/validators";

export { DELIVERY_CHANNELS, DELIVERY_STATUSES } from "@acme/validators";
export type { DeliveryChannel, DeliveryStatus };

/** A status, or "retrying": queued after a try failed for a reason worth trying again. */
export type DeliveryState = DeliveryStatus | "retrying";

const STATE: Record<DeliveryState, { label: string; icon: string; description: string }> = {
  queued: { label: "Queued", icon: "○", description: "Waiting for its first try" },
  retrying: {
    label: "Retrying",
    icon: "↻",
    description: "A try failed for a reason worth retrying; the next is scheduled",
  },
  sent: { label: "Sent", icon: "✓", description: "Accepted by the email provider or push service" },
  failed: { label: "Failed", icon: "✕", description: "Gave up: a permanent error, or every try failed" },
  expired: { label: "Expired", icon: "⊘", description: "The push subscription is gone" },
  skipped: { label: "Skipped", icon: "–", description: "Not sent on purpose; nothing will be tried" },
};

export function deliveryState(delivery: { status: DeliveryStatus; retrying: unknown }): DeliveryState {
  return delivery.retrying ? "retrying" : delivery.status;
}

/** Status as text plus icon and colour, so it never depends on colour alone. */
export function StatusBadge({ status }: { status: DeliveryState }) {
  const meta = STATE[status];
  return (
    <span className={`badge badge--${status}`} title={meta.description}>
      <span aria-hidden="true" className="badge__icon">
        {meta.icon}
      </span>
      {meta.label}
    </span>
  );
}

export function statusLabel(status: DeliveryState): string {
  return STATE[status].label;
}

export function ChannelLabel({ channel }: { channel: DeliveryChannel }) {
  return (
    <span className="channel">
      <span aria-hidden="true" className="channel__icon">
        {channel === "email" ? "✉" : "◈"}
      </span>
      {channel === "email" ? "Email" : "Push"}
    </span>
  );
}
