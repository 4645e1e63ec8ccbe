/**
 * One line per tRPC request, as Next prints its own: method, procedures, status, time. Never the
 * query string: a batched query carries its input there (usernames, phone numbers).
 */
export function trpcRequestLine(request: Request, status: number, ms: number): string {
  const { pathname } = new URL(request.url);
  return `${request.method} ${pathname} ${status} in ${Math.round(ms)}ms`;
}
