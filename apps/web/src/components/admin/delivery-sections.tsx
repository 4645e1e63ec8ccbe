"use client";

import Link from "next/link";
import type { RouterOutputs } from "@acme/api";
import { capitalize, describeFieldChange, formatDateTime, listFields } from "~/lib/format";
import { describeUserAgent } from "~/lib/user-agent";
import { EmailPreview, PushPreview } from "./delivery-parts";
import { RunLink } from "./run-summary";

type Delivery = RouterOutputs["admin"]["deliveries"]["get"];

export function DeliveryFacts({ d }: { d: Delivery }) {
  return (
    <dl className="facts">
      <Fact term="Delivery id" mono>
        {d.id}
      </Fact>
      <Fact term="Change">
        <Link href={`/admin/changes/${d.change.id}`}>
          {capitalize(listFields(d.change.changedFields)) || "View change"}
        </Link>{" "}
        <span className="subtle mono break">{d.change.id}</span>
      </Fact>
      <Fact term="Event id" mono>
        {d.eventId}
      </Fact>
      <Fact term="Run">
        <RunLink runId={d.runId} />
      </Fact>
      <Fact term="Attempts">
        {d.attempts}
        {d.generation > 0 && (
          <span className="subtle">
            {" "}
            · retried by an admin {d.generation} {d.generation === 1 ? "time" : "times"}
          </span>
        )}
      </Fact>
      <Fact term="Provider message id" mono>
        {d.providerMessageId ?? <span className="muted">—</span>}
      </Fact>
      <Fact term="Created">{formatDateTime(d.createdAt)}</Fact>
      <Fact term="Last updated">{formatDateTime(d.updatedAt)}</Fact>
      <Fact term="Sent">{d.sentAt ? formatDateTime(d.sentAt) : <span className="muted">Not sent</span>}</Fact>
    </dl>
  );
}

function Fact({ term, mono, children }: { term: string; mono?: boolean; children: React.ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd className={mono ? "mono break" : undefined}>{children}</dd>
    </div>
  );
}

/** What was sent, or honestly why there is nothing to show. */
export function DeliveryContent({ d }: { d: Delivery }) {
  if (d.email) return <EmailPreview email={d.email} />;
  if (d.push) return <PushPreview push={d.push} />;
  if (d.status === "skipped") return <p className="muted">Nothing was rendered or sent: this delivery was skipped.</p>;
  return <p className="muted">Nothing rendered yet: the content is stored on the first try.</p>;
}

export function ChangeSection({ change }: { change: Delivery["change"] }) {
  return (
    <>
      <ul className="change-list" role="list">
        {Object.entries(change.changes).map(([field, fieldChange]) => (
          <li key={field}>{capitalize(describeFieldChange(field, fieldChange))}</li>
        ))}
      </ul>
      <p className="subtle">
        {formatDateTime(change.createdAt)} · {describeUserAgent(change.userAgent)}
        {change.ipAddress && <> · IP {change.ipAddress}</>}
      </p>
    </>
  );
}

export function RetryRequests({ requests }: { requests: Delivery["retryRequests"] }) {
  if (requests.length === 0) return <p className="muted">No admin has asked to retry this delivery.</p>;
  return (
    <ul className="plain-list" role="list">
      {requests.map((request) => (
        <li key={request.id}>
          <span className="strong">{request.requestedBy?.email ?? "A former admin"}</span> asked at{" "}
          {formatDateTime(request.requestedAt)} ·{" "}
          {request.takenAt
            ? request.reopened
              ? `taken by the retry run at ${formatDateTime(request.takenAt)}`
              : `nothing to retry by ${formatDateTime(request.takenAt)} (the delivery was no longer failed or expired)`
            : request.dispatchedAt
              ? `handed to Inngest at ${formatDateTime(request.dispatchedAt)}`
              : "waiting for the outbox relay"}
          {request.runId && (
            <>
              {" "}
              · run <RunLink runId={request.runId} />
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
