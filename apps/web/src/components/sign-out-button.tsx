"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@acme/auth/client";

export function SignOutButton() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className="button button--ghost button--small"
      disabled={pending}
      suppressHydrationWarning
      onClick={async () => {
        setPending(true);
        try {
          await authClient.signOut();
        } finally {
          router.push("/");
          router.refresh();
          setPending(false);
        }
      }}
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
