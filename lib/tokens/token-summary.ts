/** What lists and the API show of a token: never its hash. `status` is derived so pages need not repeat the rule. */
export const TOKEN_SUMMARY_SELECT = {
  id: true,
  name: true,
  role: true,
  scopes: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  createdBy: { select: { email: true } },
} as const;

export type TokenStatus = "active" | "revoked" | "expired";

export function tokenStatus(t: { revokedAt: Date | null; expiresAt: Date | null }, now = Date.now()): TokenStatus {
  if (t.revokedAt) return "revoked";
  if (t.expiresAt && t.expiresAt.getTime() <= now) return "expired";
  return "active";
}
