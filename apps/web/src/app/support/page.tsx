import type { Metadata } from "next";
import Link from "next/link";
import { getServices } from "~/server/services";

export const metadata: Metadata = { title: "Support" };
// The contact address is runtime configuration, not a build-time constant.
export const dynamic = "force-dynamic";

// Where "If it was not done by you, please contact support" leads (SUPPORT_URL overrides it).
export default function SupportPage() {
  const contact = getServices().config.email.supportEmail;
  return (
    <div className="page page--narrow">
      <div className="card">
        <h1>Didn&apos;t change your profile?</h1>
        <p>If you got a notification about a change you did not make, act now:</p>
        <ol>
          <li>
            <Link href="/sign-in">Sign in</Link> and change your password.
          </li>
          <li>
            Check <Link href="/profile">your profile</Link> and its recent security activity.
          </li>
          <li>
            Write to <a href={`mailto:${contact}`}>{contact}</a> with the time of the notification. We will lock the
            account while we look into it.
          </li>
        </ol>
      </div>
    </div>
  );
}
