/**
 * "Roll back": moves an alias to the target it had before its latest move, in one call. Rolling back twice returns
 * to where it started (the latest move is then the rollback itself). No approval gate: undoing must stay one click.
 */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/record-audit";
import { conflict, notFound } from "@/lib/errors";
import { parseAliasName, parseModelName } from "./model-name";
import { lockModel } from "./lock-model";
import { moveAlias } from "./move-alias";
import { notifyEndpoints } from "./notify-endpoints";

/** Where rolling an alias back takes it, given its latest move: that move's origin (none for a first promotion). */
export function rollbackTarget(latestMove: { fromVersion: number | null } | null | undefined): number | null {
  return latestMove?.fromVersion ?? null;
}

export async function rollbackAlias(o: { db: Db; actor: Actor; model: string; alias: string; reason?: string }) {
  const modelName = parseModelName(o.model);
  const alias = parseAliasName(o.alias);
  const result = await o.db.$transaction(async (tx) => {
    const model = await lockModel(tx, modelName);
    const currentAlias = await tx.alias.findUnique({ where: { modelId_name: { modelId: model.id, name: alias } }, include: { version: true } });
    if (!currentAlias) throw notFound(`model '${modelName}' has no alias '${alias}'`);
    const last = await tx.aliasHistory.findFirst({ where: { modelId: model.id, alias }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    const to = rollbackTarget(last);
    if (to === null) throw conflict(`'${alias}' has no previous target to roll back to`);
    const target = await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version: to } } });
    if (!target) throw conflict(`the previous target of '${alias}', v${to}, no longer exists`);
    if (target.status !== "ready") throw conflict(`the previous target of '${alias}', v${to}, is ${target.status}: it cannot serve traffic`);
    const moved = await moveAlias({
      tx, actor: o.actor, model, alias, to: target, from: currentAlias.version.version, kind: "rollback",
      reason: o.reason ?? `rollback of v${currentAlias.version.version}`,
    });
    return { model: modelName, alias, version: target.version, fromVersion: currentAlias.version.version, status: "moved" as const, endpoints: moved.endpoints };
  });
  await notifyEndpoints(result.endpoints);
  return result;
}
