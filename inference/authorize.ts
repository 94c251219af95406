/**
 * Who may call the data plane: `Authorization: Bearer <token>` whose token has the `infer` scope (lib/auth's
 * authenticateToken, cached 5 s there, so a revoked token stops within seconds), and a per-token, per-endpoint
 * token bucket when the endpoint sets `limits.rateLimitPerSecond`.
 *
 * When the database cannot be reached, a token that was valid at some point in the last GRACE_MS is still
 * accepted (authenticate-token's record of verified tokens, `lastVerified`): an outage of the control plane's
 * database should not take inference down with it. A token revoked
 * during the outage therefore keeps working until the database is back (or the grace ends).
 *
 * Reads of tokens not known valid are bounded at `unverifiedLookupsPerSecond` (default 100) for the data plane
 * (authenticate-token.ts's LookupBudget): past it, a request with such a token gets 503 and Retry-After.
 */
import type { Db } from "@/lib/db/client";
import { authenticateToken, bearerSecret, lastVerified, LookupBudget, TOKEN_CACHE_MS, TooManyUnverifiedTokensError, UNVERIFIED_LOOKUPS_PER_SECOND } from "@/lib/auth/authenticate-token";
import type { Principal } from "@/lib/auth/roles";
import { OipError } from "@/lib/oip/oip-error";
import { TokenBuckets } from "@/lib/limits/token-buckets";

export const GRACE_MS = 5 * 60_000;

export class RateLimitedError extends OipError {
  constructor(readonly retryAfterSeconds: number, perSecond: number) {
    super(429, `rate limit of ${perSecond} requests per second exceeded for this token; retry after ${retryAfterSeconds} s`);
  }
}

/** No bearer token; also what a route answers for a request that reached it without passing admission. */
export function missingTokenError(): OipError {
  return new OipError(401, "missing bearer token (send 'Authorization: Bearer <token>')");
}

export interface Authorizer {
  /** Throws OipError 401/403/429/503; returns the principal otherwise. */
  authorize(authorization: string | undefined, endpoint: string, rateLimitPerSecond?: number): Promise<Principal>;
}

export function createAuthorizer(db: Db, now: () => number = Date.now, unverifiedLookupsPerSecond = UNVERIFIED_LOOKUPS_PER_SECOND): Authorizer {
  const buckets = new TokenBuckets(now);
  const unverified = new LookupBudget(unverifiedLookupsPerSecond, now);

  // Keyed by the secret itself for the cache window, so a hot token costs a map lookup, not two sha256 per request.
  // The lookup's promise is what is cached: a burst of requests with a token not seen yet (new connections of one
  // client, say) shares one database read instead of making one each, and they are admitted together.
  const recent = new Map<string, { principal: Promise<Principal | null>; at: number }>();

  function principalFor(secret: string): Promise<Principal | null> {
    const hit = recent.get(secret);
    if (hit && now() - hit.at < TOKEN_CACHE_MS) return hit.principal;
    const principal = lookup(secret);
    if (recent.size > 10_000) recent.clear();
    const entry = { principal, at: now() };
    recent.set(secret, entry);
    // An answer that could not be had (database unreachable, no grace) is not remembered: the next request asks again.
    principal.catch(() => {
      if (recent.get(secret) === entry) recent.delete(secret);
    });
    return principal;
  }

  async function lookup(secret: string): Promise<Principal | null> {
    try {
      return await authenticateToken(db, secret, now(), unverified);
    } catch (e) {
      if (e instanceof TooManyUnverifiedTokensError) throw new OipError(503, e.message);
      const known = lastVerified(secret, now(), GRACE_MS);
      if (known) return known;
      throw new OipError(503, "cannot verify the token right now (database unreachable); retry shortly");
    }
  }

  function take(key: string, perSecond: number): void {
    const wait = buckets.takeOne(key, perSecond);
    if (wait > 0) throw new RateLimitedError(Math.max(1, Math.ceil(wait)), perSecond);
  }

  return {
    async authorize(authorization, endpoint, rateLimitPerSecond) {
      const secret = bearerSecret(authorization);
      if (!secret) throw missingTokenError();
      const principal = await principalFor(secret);
      if (!principal) throw new OipError(401, "invalid, expired or revoked token");
      if (!principal.scopes.includes("infer")) throw new OipError(403, "this token does not have the 'infer' scope");
      if (rateLimitPerSecond) take(`${principal.id}\0${endpoint}`, rateLimitPerSecond);
      return principal;
    },
  };
}
