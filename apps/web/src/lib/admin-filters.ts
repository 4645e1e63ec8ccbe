import type { RouterInputs } from "@acme/api";
import { DELIVERY_CHANNELS, DELIVERY_STATUSES } from "@acme/validators";

type ListInput = RouterInputs["admin"]["deliveries"]["list"];
export type DeliveryStatusFilter = NonNullable<ListInput["status"]>;
export type DeliveryChannelFilter = NonNullable<ListInput["channel"]>;

export const TIME_RANGES = [
  { key: "all", label: "Any time", ms: null },
  { key: "1h", label: "Last hour", ms: 60 * 60_000 },
  { key: "24h", label: "Last 24 hours", ms: 24 * 60 * 60_000 },
  { key: "7d", label: "Last 7 days", ms: 7 * 24 * 60 * 60_000 },
  { key: "30d", label: "Last 30 days", ms: 30 * 24 * 60 * 60_000 },
  { key: "custom", label: "Custom…", ms: null },
] as const;
export type TimeRangeKey = (typeof TIME_RANGES)[number]["key"];

/** The history filters as kept in the URL, so a filtered view can be shared and reloaded. */
export interface DeliveryFilterState {
  status: DeliveryStatusFilter | null;
  channel: DeliveryChannelFilter | null;
  range: TimeRangeKey;
  /** datetime-local values, for the custom range. */
  from: string;
  to: string;
  q: string;
  /** Only changes the user reported as not theirs. */
  reported: boolean;
}

export function readFilters(params: URLSearchParams): DeliveryFilterState {
  const status = params.get("status");
  const channel = params.get("channel");
  const range = params.get("range");
  return {
    status: DELIVERY_STATUSES.find((s) => s === status) ?? null,
    channel: DELIVERY_CHANNELS.find((c) => c === channel) ?? null,
    range: TIME_RANGES.find((r) => r.key === range)?.key ?? "all",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
    q: params.get("q") ?? "",
    reported: params.get("reported") === "1",
  };
}

export function writeFilters(state: DeliveryFilterState): string {
  const params = new URLSearchParams();
  if (state.status) params.set("status", state.status);
  if (state.channel) params.set("channel", state.channel);
  if (state.range !== "all") params.set("range", state.range);
  if (state.range === "custom") {
    if (state.from) params.set("from", state.from);
    if (state.to) params.set("to", state.to);
  }
  if (state.q.trim()) params.set("q", state.q.trim());
  if (state.reported) params.set("reported", "1");
  const query = params.toString();
  return query ? `?${query}` : "";
}

function parseLocal(value: string): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The API filters; relative ranges count back from `anchor` (fixed while the view is open). */
export function toFilterInput(state: DeliveryFilterState, anchor: number) {
  const range = TIME_RANGES.find((r) => r.key === state.range);
  const from = state.range === "custom" ? parseLocal(state.from) : range?.ms ? new Date(anchor - range.ms) : undefined;
  const to = state.range === "custom" ? parseLocal(state.to) : undefined;
  return {
    ...(state.status && { status: state.status }),
    ...(state.channel && { channel: state.channel }),
    ...(from && { from }),
    ...(to && { to }),
    ...(state.q.trim() && { search: state.q.trim() }),
    ...(state.reported && { reported: true }),
  };
}

export function hasActiveFilters(state: DeliveryFilterState): boolean {
  return Boolean(state.status || state.channel || state.range !== "all" || state.q.trim() || state.reported);
}
