/**
 * Approves or rejects a pending promotion request. The requester cannot decide their own request. Approval moves
 * the alias exactly like a promotion (same checks: ready, signature compatible unless forced).
 */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";
import { conflict, forbidden, notFound } from "@/lib/errors";
import { parseModelName } from "./model-name";
import { lockModel } from "./lock-model";
import { moveAlias } from "./move-alias";
import { breakingChanges, checkPromotable } from "./promote-version";
import { notifyEndpoints } from "./notify-endpoints";

export interface DecidePromotionOptions {
  db: Db;
  actor: Actor;
  model: string;
  requestId: string;
  decision: "approve" | "reject";
  note?: string;
  force?: boolean;
}

export async function decidePromotion(o: DecidePromotionOptions) {
  const modelName = parseModelName(o.model);
  const result = await o.db.$transaction(async (tx) => {
    const model = await lockModel(tx, modelName);
    const req = await tx.promotionRequest.findFirst({ where: { id: o.requestId, modelId: model.id } });
    if (!req) throw notFound(`promotion request '${o.requestId.slice(0, 40)}' not found for model '${modelName}'`);
    if (req.status !== "pending") throw conflict(`this promotion request was already ${req.status}`);
    if (req.requestedById && req.requestedById === o.actor.id) {
      throw forbidden("you requested this promotion: another operator must approve or reject it");
    }
    const decided = { status: o.decision === "approve" ? "approved" : "rejected", decidedById: o.actor.id, decidedBy: o.actor.label, decidedAt: new Date(), note: o.note ?? req.note };
    let endpoints: string[] = [];
    let fromVersion: number | null = null;
    if (o.decision === "approve") {
      const target = await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version: req.version } } });
      const currentAlias = await tx.alias.findUnique({ where: { modelId_name: { modelId: model.id, name: req.alias } }, include: { version: true } });
      const current = currentAlias?.version ?? null;
      checkPromotable(target, current, { model: modelName, alias: req.alias, version: req.version, force: o.force });
      fromVersion = current?.version ?? null;
      if (current?.version !== req.version) {
        const forced = !!o.force && breakingChanges(current, target).length > 0;
        const moved = await moveAlias({
          tx, actor: o.actor, model, alias: req.alias, to: target!, from: fromVersion, kind: "promote", forced,
          reason: `approved request by ${req.requestedBy ?? "unknown"}${o.note ? `: ${o.note}` : ""}`,
        });
        endpoints = moved.endpoints;
      }
    }
    await tx.promotionRequest.update({ where: { id: req.id }, data: decided });
    await recordAudit(tx, o.actor, {
      action: `promotion.${o.decision}`,
      objectType: "alias",
      objectId: `${modelName}:${req.alias}`,
      before: { status: "pending", requestedBy: req.requestedBy },
      after: { status: decided.status, version: req.version },
      reason: o.note,
    });
    return { model: modelName, alias: req.alias, version: req.version, fromVersion, requestId: req.id, status: decided.status, endpoints };
  });
  await notifyEndpoints(result.endpoints);
  return result;
}
