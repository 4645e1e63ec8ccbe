import type { DeliveryChannelName as DeliveryChannel, DeliveryStatusName as DeliveryStatus } from "@acme/validators";

export { DELIVERY_CHANNELS, DELIVERY_STATUSES } from "@acme/validators";
export type { DeliveryChannel, DeliveryStatus };

const STATUS: Record<DeliveryStatus, { label: string; icon: string; description: string }> = {
  queued: { label: "Queued", icon: "○", description: "Waiting to be sent or being retried" },
  sent: { label: "Sent", icon: "✓", description: "Accepted by the email provider or push service" },
  failed: { label: "Failed", icon: "✕", description: "Gave up after retries" },
  expired: { label: "Expired", icon: "⊘", description: "The push subscription is gone" },
  skipped: { label: "Skipped", icon: "–", description: "Not sent on purpose" },
};

/** Status as text plus icon and colour, so it never depends on colour alone. */
export function StatusBadge({ status }: { status: DeliveryStatus }) {
  const meta = STATUS[status];
  return (
    <span className={`badge badge--${status}`} title={meta.description}>
      <span aria-hidden="true" className="badge__icon">
        {meta.icon}
      </span>
      {meta.label}
    </span>
  );
}

export function statusLabel(status: DeliveryStatus): string {
  return STATUS[status].label;
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
