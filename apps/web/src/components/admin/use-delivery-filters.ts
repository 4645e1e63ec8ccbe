"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  hasActiveFilters,
  readFilters,
  toFilterInput,
  writeFilters,
  type DeliveryFilterState,
} from "~/lib/admin-filters";

const SEARCH_DEBOUNCE_MS = 300;

/** The history filters, kept in the URL (shareable, reloadable), with a debounced search box. */
export function useDeliveryFilters() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();

  const filters = useMemo(() => readFilters(new URLSearchParams(searchParams.toString())), [searchParams]);
  // "Last hour" counts back from when the filters were last set, so the query stays put while live.
  const [anchor, setAnchor] = useState(() => Date.now());
  const filterInput = useMemo(() => toFilterInput(filters, anchor), [filters, anchor]);

  // The URL catches up with router.replace asynchronously: merge each change into the latest
  // requested filters, so a debounced search landing just after a status change keeps both.
  const requested = useRef(filters);
  useEffect(() => {
    requested.current = filters;
  }, [filters]);
  const setFilters = useCallback(
    (patch: Partial<DeliveryFilterState>) => {
      requested.current = { ...requested.current, ...patch };
      setAnchor(Date.now());
      router.replace(`${pathname}${writeFilters(requested.current)}`, { scroll: false });
    },
    [pathname, router],
  );

  const [searchDraft, setSearchDraft] = useState(filters.q);
  useEffect(() => {
    if (searchDraft.trim() === filters.q.trim()) return;
    const timer = setTimeout(() => setFilters({ q: searchDraft }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [searchDraft, filters.q, setFilters]);

  const clear = useCallback(() => {
    setSearchDraft("");
    router.replace(pathname, { scroll: false });
  }, [pathname, router]);

  return {
    filters,
    filterInput,
    anchor,
    active: hasActiveFilters(filters),
    setFilters,
    searchDraft,
    setSearchDraft,
    clear,
  };
}

export type DeliveryFilters = ReturnType<typeof useDeliveryFilters>;
