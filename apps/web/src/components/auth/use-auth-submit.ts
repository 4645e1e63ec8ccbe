"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { describeAuthError, type AuthFailure } from "./auth-errors";

interface AuthResult {
  error: { code?: string; message?: string; status?: number } | null;
}

/**
 * One in-flight auth request at a time; on success go to `next`, on failure keep a message
 * for the right field. Shared by the sign-in and sign-up forms.
 */
export function useAuthSubmit(next: string, appUrl: string) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<AuthFailure | null>(null);
  const inFlight = useRef(false);

  async function submit(request: () => Promise<AuthResult>) {
    if (inFlight.current) return;
    inFlight.current = true;
    setPending(true);
    setFailure(null);
    try {
      const { error } = await request();
      if (error) {
        setFailure(describeAuthError(error, { origin: window.location.origin, appUrl }));
        return;
      }
      router.replace(next);
      router.refresh();
    } catch {
      setFailure({ field: null, message: "Could not reach the server. Check your connection and try again." });
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  }

  return { pending, failure, setFailure, submit };
}
