/**
 * Job step: alerts whose mute has run out go back to where they were (acknowledged if they had been, else open).
 * raise-alert.ts also un-mutes on a re-fire, so this only matters for alerts that stay quiet.
 */
import type { Db } from "@/lib/db/client";
import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit/record-audit";
import { statusAfterMute } from "./alert-transitions";

export async function unmuteExpiredAlerts(o: { db: Db; now?: Date }): Promise<number> {
  const now = o.now ?? new Date();
  const expired = await o.db.alert.findMany({
    where: { status: "muted", mutedUntil: { lte: now } },
    select: { id: true, acknowledgedAt: true, mutedUntil: true },
    take: 500,
  });
  let n = 0;
  for (const a of expired) {
    const status = statusAfterMute(a.acknowledgedAt);
    n += await o.db.$transaction(async (tx) => {
      const r = await tx.alert.updateMany({ where: { id: a.id, status: "muted", mutedUntil: a.mutedUntil }, data: { status, mutedUntil: null } });
      if (r.count !== 1) return 0;
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: "alert.unmute",
        objectType: "alert",
        objectId: a.id,
        before: { status: "muted", mutedUntil: a.mutedUntil?.toISOString() },
        after: { status },
        reason: "mute expired",
      });
      return 1;
    });
  }
  return n;
}
