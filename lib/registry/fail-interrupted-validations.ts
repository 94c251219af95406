/**
 * Versions left `validating` by a process that stopped mid-upload (crash, restart) would stay so forever: at start,
 * mark those older than the validation time limit as failed, with the reason, so the registry tells the truth.
 */
import type { Db } from "@/lib/db/client";
import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit/record-audit";

export async function failInterruptedValidations(db: Db, opts: { olderThanMs?: number; now?: Date } = {}): Promise<number> {
  const cutoff = new Date((opts.now ?? new Date()).getTime() - (opts.olderThanMs ?? 10 * 60_000));
  return db.$transaction(async (tx) => {
    const stuck = await tx.modelVersion.findMany({
      where: { status: "validating", createdAt: { lt: cutoff } },
      select: { id: true, version: true, model: { select: { name: true } } },
    });
    if (!stuck.length) return 0;
    await tx.modelVersion.updateMany({
      where: { id: { in: stuck.map((v) => v.id) }, status: "validating" },
      data: { status: "failed", statusReason: "validation was interrupted (the server stopped during the upload); upload the file again" },
    });
    for (const v of stuck) {
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: "model.validate",
        objectType: "model_version",
        objectId: `${v.model.name}@${v.version}`,
        outcome: "failed",
        reason: "validation was interrupted",
      });
    }
    return stuck.length;
  });
}
