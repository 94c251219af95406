/**
 * Bearer-token authentication, shared by the control plane and the data plane. Valid tokens are cached for a few
 * seconds so the data plane does not hit the database per request; a revoked token stops working within TOKEN_CACHE_MS.
 *
 * A token not found valid before costs a database read, so a flood of made-up tokens (each one different) would make
 * every request a query against the database both planes share. Callers pass a LookupBudget: reads of tokens not
 * known valid take from it, and past it the request is refused (503, Retry-After) without a read. Tokens known valid
 * (found valid and not since found invalid, whatever their cache age) are never counted, and they are kept apart from
 * the unknown ones, so a flood cannot push them out and lock real clients out.
 *
 * The same record of tokens found valid serves the data plane's grace during a database outage (`lastVerified`):
 * forgetting the cache after a revoke (`clearTokenCache`) makes every entry stale — read again on its next use — but
 * keeps what was verified and when, so a revoke in one process does not take the grace away from every other token.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { TokenBucket } from "@/lib/limits/token-buckets";
import { hashTokenSecret } from "./api-token-secret";
import type { Principal, Role, Scope } from "./roles";
import { SCOPES } from "./roles";

export const TOKEN_CACHE_MS = 5_000;
const LAST_USED_RESOLUTION_MS = 60_000;

interface CacheEntry<T> {
  principal: T;
  /** When the database last said so. */
  at: number;
  /** Forgotten by clearTokenCache: no longer answers from the cache, whatever its age. */
  stale?: boolean;
}

/** Tokens found valid, and the answers for the others, by hash: apart, each bounded (cleared past MAX_CACHED). */
const valid = new Map<string, CacheEntry<Principal>>();
const invalid = new Map<string, CacheEntry<null>>();
const MAX_CACHED = 10_000;

/** How many reads of tokens not known valid a caller allows per second (one bucket per budget). */
export class LookupBudget {
  private readonly bucket: TokenBucket;

  constructor(
    readonly perSecond: number,
    now: () => number = () => Date.now(),
  ) {
    this.bucket = new TokenBucket(now);
  }

  /** Takes one read, or throws the 503 a request past the budget gets. */
  take(): void {
    if (this.bucket.takeOne(this.perSecond) > 0) throw new TooManyUnverifiedTokensError();
  }
}

/** Default budget of each plane: reads of unknown tokens per second per process. */
export const UNVERIFIED_LOOKUPS_PER_SECOND = 100;

export class TooManyUnverifiedTokensError extends AppError {
  constructor() {
    super("unavailable", "too many requests with tokens not verified yet; retry shortly", { retryAfter: 1 });
  }
}

export function bearerSecret(authorization: string | null | undefined): string | undefined {
  if (!authorization) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m?.[1];
}

/** The principal for a token secret, or null when unknown, revoked, expired or its creator is disabled. */
export async function authenticateToken(db: Db, secret: string, now = Date.now(), budget?: LookupBudget): Promise<Principal | null> {
  const hash = hashTokenSecret(secret);
  const known = valid.get(hash);
  if (known && !known.stale && now - known.at < TOKEN_CACHE_MS) return known.principal;
  const refused = invalid.get(hash);
  if (refused && now - refused.at < TOKEN_CACHE_MS) return null;
  if (!known) budget?.take();

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
  if (principal) {
    invalid.delete(hash);
    if (valid.size >= MAX_CACHED) valid.clear();
    valid.set(hash, { principal, at: now });
  } else {
    valid.delete(hash);
    if (invalid.size >= MAX_CACHED) invalid.clear();
    invalid.set(hash, { principal: null, at: now });
  }
  return principal;
}

/**
 * The principal of a token the database found valid within the last `withinMs` and not found invalid since, however
 * stale its cache entry: what the data plane still accepts while the database cannot be reached.
 */
export function lastVerified(secret: string, now: number, withinMs: number): Principal | undefined {
  const known = valid.get(hashTokenSecret(secret));
  return known && now - known.at < withinMs ? known.principal : undefined;
}

/**
 * Forget cached answers (tests, and the control plane right after a revoke in the same process): every token is read
 * again on its next use. Tokens found valid stay known valid (not counted against a LookupBudget; lastVerified)
 * until that read says otherwise.
 */
export function clearTokenCache(): void {
  for (const entry of valid.values()) entry.stale = true;
  invalid.clear();
}
