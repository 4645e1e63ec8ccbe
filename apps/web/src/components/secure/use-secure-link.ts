"use client";

import { useEffect, useRef, useState } from "react";
import { api } from "~/trpc/react";

/** The token in the page's fragment (`/secure#<token>`), read once on the client. */
function useFragmentToken(): string | null | undefined {
  const [token, setToken] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    const read = () => setToken(decodeURIComponent(window.location.hash.slice(1)) || null);
    read();
    // Another link opened in this tab changes only the fragment: no page load.
    window.addEventListener("hashchange", read);
    return () => window.removeEventListener("hashchange", read);
  }, []);
  return token;
}

/**
 * The link's event and the two answers. Each answer is sent at most once per page, however many
 * clicks arrive; the server also acts only once per link.
 */
export function useSecureLink() {
  const token = useFragmentToken();
  const view = api.secureLink.view.useMutation();
  const confirm = api.secureLink.confirm.useMutation({ onSuccess: () => reload() });
  const report = api.secureLink.report.useMutation({ onSuccess: () => reload() });
  const answered = useRef(false);
  const { mutate: load } = view;
  const { reset: resetConfirm } = confirm;
  const { reset: resetReport } = report;

  useEffect(() => {
    answered.current = false;
    resetConfirm();
    resetReport();
    if (token) load({ token });
  }, [token, load, resetConfirm, resetReport]);

  function reload() {
    if (token) load({ token });
  }

  function answer(which: "confirm" | "report") {
    if (!token || answered.current) return;
    answered.current = true;
    (which === "confirm" ? confirm : report).mutate({ token });
  }

  return { token, view, confirm, report, answer, busy: confirm.isPending || report.isPending };
}
