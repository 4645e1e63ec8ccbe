import type { Metadata } from "next";
import { Suspense } from "react";
import { DeliveriesView } from "~/components/admin/deliveries-view";

export const metadata: Metadata = { title: "Deliveries" };

export default function AdminDeliveriesPage() {
  return (
    <>
      <header className="page-header">
        <h1>Notification deliveries</h1>
        <p className="muted">Every email and push notification sent for a profile change, live as it happens.</p>
      </header>
      <Suspense fallback={<p className="muted">Loading deliveries…</p>}>
        <DeliveriesView />
      </Suspense>
    </>
  );
}
