/**
 * The client address for throttling and audit. Next's server fills `x-forwarded-for` from the socket when a
 * request arrives without one; behind a proxy the proxy's value is used. Pure.
 */
export function clientIpFromHeaders(get: (name: string) => string | null | undefined): string | undefined {
  const fwd = get("x-forwarded-for");
  return fwd?.split(",")[0]?.trim() || get("x-real-ip") || undefined;
}
