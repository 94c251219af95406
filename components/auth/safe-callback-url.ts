/**
 * Where to go after signing in: only a path on this site, so a crafted link cannot send a user elsewhere
 * (next-auth may hand us an absolute URL of our own origin; its path is kept). Pure.
 */
export function safeCallbackUrl(raw: string | null | undefined): string {
  if (!raw) return "/";
  let path = raw;
  if (/^https?:\/\//i.test(raw)) {
    try {
      const u = new URL(raw);
      path = u.pathname + u.search + u.hash;
    } catch {
      return "/";
    }
  }
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return "/";
  if (path.startsWith("/login") || path.startsWith("/api/")) return "/";
  return path;
}
