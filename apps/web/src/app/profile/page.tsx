import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ChangePassword } from "~/components/profile/change-password";
import { ProfileForm } from "~/components/profile/profile-form";
import { PushNotifications } from "~/components/profile/push-notifications";
import { SecurityActivity } from "~/components/profile/security-activity";
import { createServerCaller, getCurrentSession } from "~/lib/session";
import "~/styles/account-security.css";

export const metadata: Metadata = { title: "Your profile" };

export default async function ProfilePage() {
  if (!(await getCurrentSession())) redirect("/sign-in?next=/profile");
  const me = await (await createServerCaller()).user.me();
  return (
    <div className="page">
      <header className="page-header">
        <h1>Your profile</h1>
        <p className="muted">
          Change your details here. Every change is confirmed to you by email and on the devices you turn on below.
        </p>
      </header>
      <div className="profile-grid">
        <div className="stack">
          <ProfileForm initialMe={me} />
          <ChangePassword />
        </div>
        <div className="stack">
          <PushNotifications />
          <SecurityActivity />
        </div>
      </div>
    </div>
  );
}
