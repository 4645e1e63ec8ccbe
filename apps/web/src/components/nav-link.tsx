"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/** A navigation link that marks itself as the current page (aria-current). */
export function NavLink({
  href,
  children,
  exact = false,
  also = [],
}: {
  href: string;
  children: ReactNode;
  exact?: boolean;
  also?: string[];
}) {
  const pathname = usePathname();
  const under = (base: string) => pathname === base || pathname.startsWith(`${base}/`);
  const current = (exact ? pathname === href : under(href)) || also.some(under);
  return (
    <Link href={href} className="nav-link" aria-current={current ? "page" : undefined}>
      {children}
    </Link>
  );
}
