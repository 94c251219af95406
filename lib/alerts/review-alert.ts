/**
 * The operator's side of the alert workflow: acknowledge, resolve, mute for a period, unmute, assign. Each change
 * and its audit event commit together; an invalid move (resolving a resolved alert, unmuting an open one) is a 409
 * that says why. Writes are conditional on the status read, so two reviewers clicking at once cannot both win.
 */
import type { Db, Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";
import { badRequest, conflict, notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { enqueueDeliveries } from "@/lib/webhooks/enqueue-deliveries";
import { ALERT_INCLUDE, type AlertRow } from "./alert-json";
import { transitionAlert } from "./alert-transitions";

export const MAX_MUTE_MINUTES = 30 * 24 * 60;

/** A 400 unless `userId` is an existing, enabled user (null, unassigning, always passes). */
export async function checkAssignee(db: Tx | Db, userId: string | null): Promise<void> {
  if (userId === null) return;
  const user = await db.user.findUnique({ where: { id: userId }, select: { disabled: true } });
  if (!user || user.disabled) throw badRequest("assign to an existing, enabled user (or null to unassign)");
}

export type ReviewStep =
  | { type: "acknowledge" }
  | { type: "resolve" }
  | { type: "mute"; minutes: number }
  | { type: "unmute" }
  | { type: "assign"; userId: string | null };

export async function reviewAlert(o: { db: Db; actor: Actor; id: string; step: ReviewStep; now?: Date }): Promise<AlertRow> {
  const now = o.now ?? new Date();
  const step = o.step;
  if (step.type === "mute" && !(Number.isInteger(step.minutes) && step.minutes >= 1 && step.minutes <= MAX_MUTE_MINUTES)) {
    throw badRequest(`mute for 1 to ${MAX_MUTE_MINUTES} whole minutes`);
  }
  return o.db.$transaction(async (tx) => {
    const alert = await tx.alert.findUnique({ where: { id: o.id } });
    if (!alert) throw notFound(`no alert ${o.id}`);

    let data: Prisma.AlertUpdateManyMutationInput & { assigneeId?: string | null };
    if (step.type === "assign") {
      await checkAssignee(tx, step.userId);
      data = { assigneeId: step.userId };
    } else {
      const t = transitionAlert(alert, step.type);
      if (!t.ok) throw conflict(t.reason, { status: alert.status });
      data = { status: t.status };
      if (step.type === "acknowledge") Object.assign(data, { acknowledgedAt: now, mutedUntil: null });
      if (step.type === "resolve") Object.assign(data, { resolvedAt: now, openKey: null, mutedUntil: null });
      if (step.type === "mute") data.mutedUntil = new Date(now.getTime() + step.minutes * 60_000);
      if (step.type === "unmute") data.mutedUntil = null;
    }

    const r = await tx.alert.updateMany({ where: { id: alert.id, status: alert.status }, data });
    if (r.count !== 1) throw conflict("the alert changed while you were reviewing it; reload and try again");
    const updated = await tx.alert.findUniqueOrThrow({ where: { id: alert.id }, include: ALERT_INCLUDE });

    const pick = (a: typeof alert) =>
      step.type === "assign" ? { assigneeId: a.assigneeId } : { status: a.status, mutedUntil: a.mutedUntil?.toISOString() ?? null };
    await recordAudit(tx, o.actor, {
      action: `alert.${step.type}`,
      objectType: "alert",
      objectId: alert.id,
      before: pick(alert),
      after: pick(updated),
    });
    if (step.type === "resolve") await enqueueDeliveries(tx, updated, "alert.resolved", now);
    return updated;
  });
}
