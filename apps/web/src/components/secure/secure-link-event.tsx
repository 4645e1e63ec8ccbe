import { capitalize, formatDateTime } from "~/lib/format";
import { describeUserAgent } from "~/lib/user-agent";

interface LinkedEvent {
  title: string;
  lines: string[];
  createdAt: Date;
  userAgent: string | null;
  ipAddress: string | null;
}

/** What happened, when, and from which device and address, as recorded when it happened. */
export function SecureLinkEvent({ event }: { event: LinkedEvent }) {
  return (
    <>
      <p className="strong">{event.title}</p>
      <ul>
        {event.lines.map((line) => (
          <li key={line}>{capitalize(line)}</li>
        ))}
      </ul>
      <dl className="facts">
        <div>
          <dt>When</dt>
          <dd>
            <time dateTime={event.createdAt.toISOString()}>{formatDateTime(event.createdAt)}</time>
          </dd>
        </div>
        <div>
          <dt>Device</dt>
          <dd>{describeUserAgent(event.userAgent)}</dd>
        </div>
        <div>
          {/* No location database: the address is what we know of the place. */}
          <dt>Network address</dt>
          <dd>{event.ipAddress ?? "Unknown"}</dd>
        </div>
      </dl>
    </>
  );
}
