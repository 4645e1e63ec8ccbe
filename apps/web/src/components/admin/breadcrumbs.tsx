import Link from "next/link";

export function Breadcrumbs({ current }: { current: string }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumbs">
      <ol role="list">
        <li>
          <Link href="/admin">Deliveries</Link>
        </li>
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  );
}
