/**
 * Bearer-token authentication, shared by the control plane and the data plane. Valid tokens are cached for a few
 * seconds so the data plane does not hit the database per request; a revoked token stops working within TOKEN_CACHE_MS.
 */
import type { Db } from "@/lib/db/client";
import { hashTokenSecret } from "./api-token-secret";
import type { Principal, Role, Scope } from "./roles";
import { SCOPES } from "./roles";

export const TOKEN_CACHE_MS = 5_000;
const LAST_USED_RESOLUTION_MS = 60_000;

interface CacheEntry {
  principal: Principal | null;
  at: number;
}

const cache = new Map<string, CacheEntry>();

export function bearerSecret(authorization: string | null | undefined): string | undefined {
  if (!authorization) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m?.[1];
}

/** The principal for a token secret, or null when unknown, revoked, expired or its creator is disabled. */
export async function authenticateToken(db: Db, secret: string, now = Date.now()): Promise<Principal | null> {
  const hash = hashTokenSecret(secret);
  const hit = cache.get(hash);
  if (hit && now - hit.at < TOKEN_CACHE_MS) return hit.principal;

  const token = await db.apiToken.findUnique({
    where: { hash },
    include: { createdBy: { select: { disabled: true } } },
  });
  let principal: Principal | null = null;
  if (token && !token.revokedAt && (!token.expiresAt || token.expiresAt.getTime() > now) && !token.createdBy?.disabled) {
    principal = {
      type: "token",
      id: token.id,
      label: `token:${token.name}`,
      role: token.role as Role,
      scopes: token.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
      userId: token.createdById ?? undefined,
    };
    if (!token.lastUsedAt || now - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      // Bookkeeping only: never let it fail or slow the request.
      db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date(now) } }).catch(() => {});
    }
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, { principal, at: now });
  return principal;
}

/** Forget cached answers (tests, and the control plane right after a revoke in the same process). */
export function clearTokenCache(): void {
  cache.clear();
}
