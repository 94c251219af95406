/**
 * Revokes a token. The token cache of this process is cleared at once; other processes (a separate data plane)
 * stop accepting it within TOKEN_CACHE_MS.
 */
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { clearTokenCache } from "@/lib/auth/authenticate-token";
import { notFound } from "@/lib/errors";
import { TOKEN_SUMMARY_SELECT, tokenStatus } from "./token-summary";

export async function revokeApiToken(opts: { db: Db; id: string; actor: Actor; now?: Date }) {
  const now = opts.now ?? new Date();
  const token = await opts.db.$transaction(async (tx) => {
    const before = await tx.apiToken.findUnique({ where: { id: opts.id }, select: TOKEN_SUMMARY_SELECT });
    if (!before) throw notFound("no such token");
    if (before.revokedAt) return before; // revoking twice is a no-op, not an error
    const after = await tx.apiToken.update({ where: { id: before.id }, data: { revokedAt: now }, select: TOKEN_SUMMARY_SELECT });
    await recordAudit(tx, opts.actor, {
      action: "token.revoke", objectType: "token", objectId: before.id,
      before: { name: before.name, revokedAt: null }, after: { name: after.name, revokedAt: after.revokedAt },
    });
    return after;
  });
  clearTokenCache();
  return { ...token, status: tokenStatus(token, now.getTime()) };
}
