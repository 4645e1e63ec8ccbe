import type { Metadata } from "next";
import { DeliveryDetail } from "~/components/admin/delivery-detail";

export const metadata: Metadata = { title: "Delivery" };

export default async function DeliveryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <DeliveryDetail id={id} />;
}
