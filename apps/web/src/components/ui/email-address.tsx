import { Fragment } from "react";

/**
 * An email address that wraps, when it must, after the "@" or before a dot — never in the
 * middle of a domain label (unless one label alone is wider than the line).
 */
export function EmailAddress({ address }: { address: string }) {
  const at = address.lastIndexOf("@");
  if (at < 0) return <span className="email-address">{address}</span>;
  const domain = address.slice(at + 1).split(".");
  return (
    <span className="email-address">
      {address.slice(0, at + 1)}
      <wbr />
      {domain.map((label, i) => (
        <Fragment key={i}>
          {i > 0 && (
            <>
              <wbr />.
            </>
          )}
          {label}
        </Fragment>
      ))}
    </span>
  );
}
