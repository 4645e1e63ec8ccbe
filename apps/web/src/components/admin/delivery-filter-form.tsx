"use client";

import { TIME_RANGES, type DeliveryFilterState, type TimeRangeKey } from "~/lib/admin-filters";
import { DELIVERY_CHANNELS, DELIVERY_STATUSES, statusLabel } from "./status-badge";
import type { DeliveryFilters } from "./use-delivery-filters";

/** Search, status, channel and time range; every change lands in the URL. */
export function DeliveryFilterForm({ filters: f }: { filters: DeliveryFilters }) {
  const { filters, setFilters } = f;
  return (
    <form role="search" aria-label="Filter deliveries" className="filters" onSubmit={(e) => e.preventDefault()}>
      <div className="filters__search field">
        <label htmlFor="filter-search" className="field__label">
          Search
        </label>
        <input
          id="filter-search"
          type="search"
          className="input"
          placeholder="Email, username, change or event id"
          value={f.searchDraft}
          onChange={(e) => f.setSearchDraft(e.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <Select
        id="filter-status"
        label="Status"
        value={filters.status ?? ""}
        onChange={(value) => setFilters({ status: (value || null) as DeliveryFilterState["status"] })}
        options={[["", "All statuses"], ...DELIVERY_STATUSES.map((s) => [s, statusLabel(s)] as const)]}
      />
      <Select
        id="filter-channel"
        label="Channel"
        value={filters.channel ?? ""}
        onChange={(value) => setFilters({ channel: (value || null) as DeliveryFilterState["channel"] })}
        options={[
          ["", "All channels"],
          ...DELIVERY_CHANNELS.map((c) => [c, c === "email" ? "Email" : "Push"] as const),
        ]}
      />
      <Select
        id="filter-range"
        label="Created"
        value={filters.range}
        onChange={(value) => setFilters({ range: value as TimeRangeKey })}
        options={TIME_RANGES.map((r) => [r.key, r.label] as const)}
      />
      <Select
        id="filter-reported"
        label="Changes"
        value={filters.reported ? "reported" : ""}
        onChange={(value) => setFilters({ reported: value === "reported" })}
        options={[
          ["", "All changes"],
          ["reported", "Reported by the user"],
        ]}
      />
      {filters.range === "custom" && (
        <>
          <DateTime id="filter-from" label="From" value={filters.from} onChange={(from) => setFilters({ from })} />
          <DateTime id="filter-to" label="Until" value={filters.to} onChange={(to) => setFilters({ to })} />
        </>
      )}
      {f.active && (
        <div className="filters__clear">
          <button type="button" className="button button--ghost button--small" onClick={f.clear}>
            Clear filters
          </button>
        </div>
      )}
    </form>
  );
}

function Select({
  id,
  label,
  value,
  onChange,
  options,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly (readonly [string, string])[];
}) {
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map(([optionValue, text]) => (
          <option key={optionValue} value={optionValue}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

function DateTime({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <input id={id} type="datetime-local" className="input" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
