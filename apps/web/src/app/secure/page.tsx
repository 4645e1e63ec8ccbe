import type { Metadata } from "next";
import { SecureLinkView } from "~/components/secure/secure-link-view";
import "~/styles/account-security.css";

// The token is in the URL fragment: the server never sees it, so nothing here depends on it.
export const metadata: Metadata = {
  title: "Was this you?",
  robots: { index: false, follow: false },
  referrer: "no-referrer",
};

export default function SecureLinkPage() {
  return (
    <div className="page page--narrow">
      <SecureLinkView />
    </div>
  );
}
