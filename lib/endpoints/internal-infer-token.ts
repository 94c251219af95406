/**
 * The token the control plane uses to call the data plane for the dashboard's "Try it" panel. Why a real API token
 * rather than a shared secret: the planes may be separate processes (or machines) that share only the database,
 * and the data plane already validates tokens against it. One token per control-plane process, with the `infer`
 * scope only, expiring after an hour and replaced ten minutes before that; creating it is audited as a system
 * action. The secret lives only in this process's memory.
 */
import crypto from "node:crypto";
import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit/record-audit";
import { generateTokenSecret, hashTokenSecret, tokenDisplayPrefix } from "@/lib/auth/api-token-secret";
import type { Db } from "@/lib/db/client";

const LIFETIME_MS = 60 * 60_000;
const RENEW_BEFORE_MS = 10 * 60_000;
const NAME_PREFIX = "internal:try-it:";
/** Expired internal tokens are kept this long (visible as expired on the tokens page), then deleted. */
const KEEP_EXPIRED_MS = 24 * 60 * 60_000;

const key = Symbol.for("ferry.internal-infer-token");
type G = typeof globalThis & { [key]?: Promise<{ secret: string; expiresAt: number }> };

export async function internalInferToken(db: Db, now = Date.now()): Promise<string> {
  const g = globalThis as G;
  const current = await g[key]?.catch(() => undefined);
  if (current && current.expiresAt - now > RENEW_BEFORE_MS) return current.secret;
  g[key] = (async () => {
    const secret = generateTokenSecret();
    const expiresAt = now + LIFETIME_MS;
    await db.$transaction(async (tx) => {
      const token = await tx.apiToken.create({
        data: {
          name: `${NAME_PREFIX}${crypto.randomBytes(3).toString("hex")}`,
          role: "operator",
          scopes: ["infer"],
          hash: hashTokenSecret(secret),
          prefix: tokenDisplayPrefix(secret),
          expiresAt: new Date(expiresAt),
        },
      });
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: "token.create",
        objectType: "token",
        objectId: token.id,
        after: { name: token.name, role: token.role, scopes: token.scopes, expiresAt: token.expiresAt, purpose: "dashboard Try it panel" },
      });
    });
    return { secret, expiresAt };
  })();
  return (await g[key]).secret;
}

/**
 * Deletes the Try-it tokens that expired more than a day ago (one per control-plane process per 50 minutes would
 * otherwise pile up on the tokens page). Run by the retention job; each deletion is audited as a system action.
 */
export async function removeExpiredInternalTokens(db: Db, now = Date.now()): Promise<number> {
  const expired = await db.apiToken.findMany({
    where: { name: { startsWith: NAME_PREFIX }, expiresAt: { lt: new Date(now - KEEP_EXPIRED_MS) } },
    select: { id: true, name: true, expiresAt: true },
  });
  for (const token of expired) {
    await db.$transaction(async (tx) => {
      await tx.apiToken.delete({ where: { id: token.id } });
      await recordAudit(tx, SYSTEM_ACTOR, { action: "token.delete", objectType: "token", objectId: token.id, before: { name: token.name, expiresAt: token.expiresAt }, reason: "expired internal Try it token" });
    });
  }
  return expired.length;
}
