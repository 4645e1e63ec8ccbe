"use client";

import type { RouterOutputs } from "@acme/api";
import { statusLabel, type DeliveryStatus } from "./status-badge";

type Hour = RouterOutputs["admin"]["summary"]["hourly"][number];

// Bottom to top: what went well first, problems on top where the eye lands.
const STACK: DeliveryStatus[] = ["sent", "queued", "skipped", "expired", "failed"];
const WIDTH = 240;
const HEIGHT = 100;
const hourFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/**
 * Deliveries per hour by status over the last 24 hours: an SVG drawn with attributes and CSS
 * classes only (no inline styles, so a strict CSP holds), with the same numbers as a table.
 */
export function DeliveriesChart({ hourly }: { hourly: Hour[] }) {
  const peak = Math.max(1, ...hourly.map((h) => h.total));
  const total = hourly.reduce((sum, h) => sum + h.total, 0);
  const busiest = hourly.reduce((best, h) => (h.total > best.total ? h : best), hourly[0]!);
  const slot = WIDTH / hourly.length;
  const description =
    total === 0
      ? "No deliveries in the last 24 hours."
      : `${total.toLocaleString()} deliveries in the last 24 hours; the busiest hour, from ${hourFormat.format(busiest.hour)}, had ${busiest.total.toLocaleString()}.`;
  return (
    <figure className="card chart" aria-labelledby="chart-title">
      <figcaption className="chart__header">
        <h3 id="chart-title" className="summary-card__title">
          Deliveries per hour, last 24 hours
        </h3>
        <ul className="chart__legend" role="list" aria-hidden="true">
          {STACK.map((status) => (
            <li key={status}>
              <span className={`chart__swatch chart__fill--${status}`} />
              {statusLabel(status)}
            </li>
          ))}
        </ul>
      </figcaption>
      <div className="chart__plot">
        <span className="chart__max" aria-hidden="true">
          {peak.toLocaleString()}
        </span>
        <svg
          className="chart__svg"
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={description}
        >
          <line className="chart__grid" x1="0" x2={WIDTH} y1="0.5" y2="0.5" />
          <line className="chart__grid" x1="0" x2={WIDTH} y1={HEIGHT / 2} y2={HEIGHT / 2} />
          {hourly.map((hour, index) => {
            let top = HEIGHT;
            return (
              <g key={hour.hour.toISOString()} className="chart__bar">
                <title>{`${hourFormat.format(hour.hour)}: ${describeHour(hour)}`}</title>
                {STACK.map((status) => {
                  const height = (hour[status] / peak) * HEIGHT;
                  if (height === 0) return null;
                  top -= height;
                  return (
                    <rect
                      key={status}
                      className={`chart__fill--${status}`}
                      x={index * slot + slot * 0.15}
                      width={slot * 0.7}
                      y={top}
                      height={height}
                    />
                  );
                })}
              </g>
            );
          })}
        </svg>
        <div className="chart__axis" aria-hidden="true">
          {hourly
            .filter((_, index) => index % 6 === 0)
            .map((hour) => (
              <span key={hour.hour.toISOString()}>{hourFormat.format(hour.hour)}</span>
            ))}
        </div>
      </div>
      <details className="disclosure">
        <summary>Show the numbers as a table</summary>
        {/* Scrolls on its own: focusable, so a keyboard can scroll it too. */}
        <div className="chart__table-wrap" role="region" aria-label="Deliveries per hour, as numbers" tabIndex={0}>
          <table className="table chart__table">
            <caption className="visually-hidden">Deliveries per hour by status, last 24 hours</caption>
            <thead>
              <tr>
                <th scope="col">Hour</th>
                {STACK.map((status) => (
                  <th key={status} scope="col" className="num">
                    {statusLabel(status)}
                  </th>
                ))}
                <th scope="col" className="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {hourly.map((hour) => (
                <tr key={hour.hour.toISOString()}>
                  <th scope="row">{hourFormat.format(hour.hour)}</th>
                  {STACK.map((status) => (
                    <td key={status} className="num">
                      {hour[status].toLocaleString()}
                    </td>
                  ))}
                  <td className="num">{hour.total.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function describeHour(hour: Hour): string {
  if (hour.total === 0) return "no deliveries";
  return STACK.filter((status) => hour[status] > 0)
    .map((status) => `${hour[status]} ${statusLabel(status).toLowerCase()}`)
    .join(", ");
}
