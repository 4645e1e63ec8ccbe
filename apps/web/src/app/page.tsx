export default function HomePage() {
  return (
    <main>
      <h1>Profile Notify</h1>
      <p>Sign in to manage your profile.</p>
    </main>
  );
}
