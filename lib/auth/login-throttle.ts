/**
 * Failed-login throttling, per account and per client address (table LoginThrottle). Failures are counted in a
 * window that starts at the first failure; at the limit the key is blocked for a short time that doubles with each
 * further failure in the window and is capped, so an account is slowed down but never locked for good.
 * Blocked attempts are refused before the password is checked and are not counted.
 */
import type { Db, Tx } from "@/lib/db/client";

export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const ACCOUNT_FAILURE_LIMIT = 5;
export const IP_FAILURE_LIMIT = 20;
const FIRST_BLOCK_MS = 60_000;
export const MAX_BLOCK_MS = 15 * 60_000;

export interface ThrottleKeys {
  account: string;
  ip?: string;
}

export function throttleKeys(email: string, ip: string | undefined): ThrottleKeys {
  return { account: `account:${email.trim().toLowerCase()}`, ip: ip ? `ip:${ip}` : undefined };
}

/** How long a key is blocked after its `failures`-th failure within the window (0 below the limit). */
export function blockDurationMs(failures: number, limit: number): number {
  if (failures < limit) return 0;
  return Math.min(MAX_BLOCK_MS, FIRST_BLOCK_MS * 2 ** Math.min(failures - limit, 20));
}

/** Seconds until the attempt may be retried, or 0 when neither key is blocked. */
export async function loginBlockedFor(db: Db | Tx, keys: ThrottleKeys, now = new Date()): Promise<number> {
  const rows = await db.loginThrottle.findMany({
    where: { key: { in: [keys.account, ...(keys.ip ? [keys.ip] : [])] }, blockedUntil: { gt: now } },
    select: { blockedUntil: true },
  });
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil!.getTime()));
  return until ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

async function countFailure(db: Db | Tx, key: string, limit: number, now: Date): Promise<void> {
  const windowOpen = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  // One atomic upsert, so parallel guesses cannot lose counts.
  const rows = await db.$queryRaw<{ failures: number }[]>`
    INSERT INTO "LoginThrottle" ("key", "failures", "windowStart", "blockedUntil")
    VALUES (${key}, 1, ${now}, NULL)
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE WHEN "LoginThrottle"."windowStart" <= ${windowOpen} THEN 1 ELSE "LoginThrottle"."failures" + 1 END,
      "windowStart" = CASE WHEN "LoginThrottle"."windowStart" <= ${windowOpen} THEN ${now} ELSE "LoginThrottle"."windowStart" END
    RETURNING "failures"`;
  const block = blockDurationMs(Number(rows[0]?.failures ?? 0), limit);
  if (block > 0) {
    await db.loginThrottle.update({ where: { key }, data: { blockedUntil: new Date(now.getTime() + block) } });
  }
}

/** Counts a failed attempt against the account and the address. */
export async function recordLoginFailure(db: Db | Tx, keys: ThrottleKeys, now = new Date()): Promise<void> {
  await countFailure(db, keys.account, ACCOUNT_FAILURE_LIMIT, now);
  if (keys.ip) await countFailure(db, keys.ip, IP_FAILURE_LIMIT, now);
}

/**
 * A successful sign-in clears the account's counter. The address keeps its count: one valid account must not let
 * an address reset its budget for guessing at others.
 */
export async function clearLoginFailures(db: Db | Tx, keys: ThrottleKeys): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: keys.account } });
}
