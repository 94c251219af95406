/**
 * Moves an alias (e.g. `production`) to a version. Refused with 409 when the version is not ready or its signature
 * breaks clients of the alias's current target (unless forced, which is audited). On a model that requires
 * approval, moving `production` creates a pending PromotionRequest instead (202) for another operator to decide.
 */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";
import { conflict, notFound } from "@/lib/errors";
import type { ModelSignature } from "@/lib/tensor/datatypes";
import { parseAliasName, parseModelName } from "./model-name";
import { lockModel } from "./lock-model";
import { moveAlias } from "./move-alias";
import { incompatibilities } from "./compare-signatures";
import { notifyEndpoints } from "./notify-endpoints";

export const APPROVAL_ALIAS = "production";

export interface PromoteVersionOptions {
  db: Db;
  actor: Actor;
  model: string;
  alias: string;
  version: number;
  force?: boolean;
  reason?: string;
}

export type PromoteResult =
  | { status: "moved" | "unchanged"; model: string; alias: string; version: number; fromVersion: number | null; forced: boolean; endpoints: string[] }
  | { status: "pending"; model: string; alias: string; version: number; fromVersion: number | null; requestId: string };

/** Breaking signature differences from the current target to the candidate (none when either is unknown). */
export function breakingChanges(current: { signature: unknown } | null, target: { signature: unknown } | null) {
  if (!current?.signature || !target?.signature) return [];
  return incompatibilities(current.signature as ModelSignature, target.signature as ModelSignature);
}

/** Checks that `target` may become the alias's target; shared with approvals. Throws 409 with the reason. */
export function checkPromotable(
  target: { version: number; status: string; signature: unknown } | null,
  current: { version: number; signature: unknown } | null,
  opts: { model: string; alias: string; version: number; force?: boolean },
): void {
  if (!target) throw notFound(`model '${opts.model}' has no version ${opts.version}`);
  if (target.status !== "ready") {
    throw conflict(`version ${opts.version} of '${opts.model}' is ${target.status}, not ready: only ready versions can be promoted`);
  }
  if (current && current.version !== target.version && !opts.force) {
    const breaking = breakingChanges(current, target);
    if (breaking.length) {
      throw conflict(
        `version ${opts.version} is not signature-compatible with v${current.version}, the current target of '${opts.alias}': ` +
          `${breaking.map((d) => d.message).join("; ")}. Send "force": true to promote anyway.`,
        { differences: breaking },
      );
    }
  }
}

export async function promoteVersion(o: PromoteVersionOptions): Promise<PromoteResult> {
  const modelName = parseModelName(o.model);
  const alias = parseAliasName(o.alias);
  const result = await o.db.$transaction(async (tx): Promise<PromoteResult> => {
    const model = await lockModel(tx, modelName);
    const target = await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version: o.version } } });
    const currentAlias = await tx.alias.findUnique({ where: { modelId_name: { modelId: model.id, name: alias } }, include: { version: true } });
    const current = currentAlias?.version ?? null;
    checkPromotable(target, current, { model: modelName, alias, version: o.version, force: o.force });
    const fromVersion = current?.version ?? null;
    const base = { model: modelName, alias, version: o.version, fromVersion };
    if (current?.version === o.version) return { ...base, status: "unchanged", forced: false, endpoints: [] };

    if (model.requireApproval && alias === APPROVAL_ALIAS) {
      const existing = await tx.promotionRequest.findFirst({ where: { modelId: model.id, alias, version: o.version, status: "pending" } });
      if (existing) return { ...base, status: "pending", requestId: existing.id };
      const req = await tx.promotionRequest.create({
        data: {
          modelId: model.id,
          alias,
          version: o.version,
          requestedById: o.actor.id,
          requestedBy: o.actor.label,
          note: o.reason,
        },
      });
      await recordAudit(tx, o.actor, {
        action: "promotion.request",
        objectType: "alias",
        objectId: `${modelName}:${alias}`,
        after: { version: o.version, requestId: req.id, force: o.force || undefined },
        reason: o.reason,
      });
      return { ...base, status: "pending", requestId: req.id };
    }

    const forced = !!o.force && breakingChanges(current, target).length > 0;
    const moved = await moveAlias({ tx, actor: o.actor, model, alias, to: target!, from: fromVersion, kind: "promote", forced, reason: o.reason });
    return { ...base, status: "moved", forced, endpoints: moved.endpoints };
  });
  if (result.status === "moved") await notifyEndpoints(result.endpoints);
  return result;
}
