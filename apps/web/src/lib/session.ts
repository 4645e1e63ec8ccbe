import { headers } from "next/headers";
import { cache } from "react";
import { createCaller, createTRPCContext } from "@acme/api";
import { getSessionFromHeaders } from "@acme/auth";
import { getServices } from "~/server/services";

/** The signed-in user for this request (read once per render), or null. */
export const getCurrentSession = cache(async () => {
  // Request data first: it marks the page dynamic before anything touches the server config.
  const requestHeaders = await headers();
  return getSessionFromHeaders(getServices().auth, requestHeaders);
});

/** The tRPC API called in-process, as the signed-in user: server components prefetch with it. */
export async function createServerCaller() {
  const requestHeaders = await headers();
  const { db, auth, relay, apiConfig } = getServices();
  const context = await createTRPCContext({ headers: requestHeaders, auth, db, relay, config: apiConfig });
  return createCaller(context);
}
