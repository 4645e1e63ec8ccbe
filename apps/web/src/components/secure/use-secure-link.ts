"use client";

import { useEffect, useRef } from "react";
import { useFragmentToken } from "~/lib/fragment-token";
import { api } from "~/trpc/react";

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
