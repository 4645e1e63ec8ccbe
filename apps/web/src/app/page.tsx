import Link from "next/link";
import { getCurrentSession } from "~/lib/session";

const FEATURES = [
  {
    icon: "✎",
    title: "Change your details",
    text: "Update your username and phone number, with feedback as you type.",
  },
  {
    icon: "✉",
    title: "Told by email",
    text: "Every change is confirmed to your inbox, so nothing happens behind your back.",
  },
  {
    icon: "◈",
    title: "And on every device",
    text: "Turn on push notifications and each of your browsers hears about it too.",
  },
  { icon: "☰", title: "A clear record", text: "See what changed, when, and from which device and address." },
];

export default async function HomePage() {
  const session = await getCurrentSession();
  const user = session?.user;
  return (
    <div className="page">
      <section className="hero" aria-labelledby="hero-title">
        <p className="eyebrow">Your account, on the record</p>
        <h1 id="hero-title" className="hero__title">
          Know the moment your profile changes.
        </h1>
        <p className="hero__lead">
          Profile Notify tells you about every change to your username or phone number — by email and with a
          notification on each device you choose.
        </p>
        <div className="hero__actions">
          {user ? (
            <>
              <Link href="/profile" className="button button--primary button--large">
                Go to your profile
              </Link>
              {user.role === "admin" && (
                <Link href="/admin" className="button button--secondary button--large">
                  Open the admin console
                </Link>
              )}
            </>
          ) : (
            <>
              <Link href="/sign-up" className="button button--primary button--large">
                Create an account
              </Link>
              <Link href="/sign-in" className="button button--secondary button--large">
                Sign in
              </Link>
            </>
          )}
        </div>
        {user && <p className="hero__welcome">Welcome back, {user.username}.</p>}
      </section>

      <section aria-labelledby="features-title" className="features">
        <h2 id="features-title" className="visually-hidden">
          What you get
        </h2>
        <ul className="feature-grid" role="list">
          {FEATURES.map((feature) => (
            <li key={feature.title} className="card feature">
              <span className="feature__icon" aria-hidden="true">
                {feature.icon}
              </span>
              <h3 className="feature__title">{feature.title}</h3>
              <p className="feature__text">{feature.text}</p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
