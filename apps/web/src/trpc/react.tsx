"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { httpBatchLink, loggerLink, TRPCClientError } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import type { AppRouter } from "@acme/api";
import "~/lib/zod-csp";

export const api = createTRPCReact<AppRouter>();

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1 } } }),
  );
  const [trpcClient] = useState(() =>
    api.createClient({
      links: [
        // Expected failures (validation, conflicts) are shown in the form; log only what nobody handles.
        loggerLink({
          enabled: (op) =>
            // eslint-disable-next-line no-restricted-properties -- inlined by Next.js at build time
            process.env.NODE_ENV === "development" &&
            op.direction === "down" &&
            op.result instanceof TRPCClientError &&
            op.result.data?.code === "INTERNAL_SERVER_ERROR",
        }),
        httpBatchLink({ url: "/api/trpc", transformer: superjson }),
      ],
    }),
  );
  return (
    <api.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </api.Provider>
  );
}
