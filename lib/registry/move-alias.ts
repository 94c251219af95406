/**
 * The one way an alias moves (promotion, approved request, rollback): inside the caller's transaction, with the
 * model row already locked, it points the alias at the version, appends AliasHistory, writes the audit event, and
 * bumps the generation of every endpoint of the model that routes through the alias (with an EndpointEvent), so the
 * data plane picks the new version up at once. Returns the endpoints to notify after commit.
 */
import type { Tx } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { configReferences } from "./endpoint-references";

export interface MoveAliasOptions {
  tx: Tx;
  actor: Actor;
  model: { id: string; name: string };
  alias: string;
  to: { id: string; version: number };
  from?: number | null;
  kind: "promote" | "rollback";
  forced?: boolean;
  reason?: string;
  /** Audit action; default alias.promote / alias.rollback. */
  action?: string;
}

export async function moveAlias(o: MoveAliasOptions): Promise<{ endpoints: string[]; historyId: string }> {
  const { tx, actor, model, alias } = o;
  await tx.alias.upsert({
    where: { modelId_name: { modelId: model.id, name: alias } },
    create: { modelId: model.id, name: alias, versionId: o.to.id },
    update: { versionId: o.to.id },
  });
  const history = await tx.aliasHistory.create({
    data: {
      modelId: model.id,
      alias,
      fromVersion: o.from ?? null,
      toVersion: o.to.version,
      kind: o.kind,
      forced: !!o.forced,
      actorId: actor.id,
      actorLabel: actor.label,
      reason: o.reason,
    },
  });
  await recordAudit(tx, actor, {
    action: o.action ?? `alias.${o.kind}`,
    objectType: "alias",
    objectId: `${model.name}:${alias}`,
    before: o.from ? { version: o.from } : undefined,
    after: { version: o.to.version, forced: o.forced || undefined },
    reason: o.reason,
  });

  const endpoints = await tx.endpoint.findMany({ where: { modelId: model.id }, select: { id: true, name: true, config: true } });
  const affected = endpoints.filter((e) => configReferences(e.config).aliases.has(alias));
  for (const e of affected) {
    const bumped = await tx.endpoint.update({ where: { id: e.id }, data: { generation: { increment: 1 } }, select: { generation: true } });
    await tx.endpointEvent.create({
      data: {
        endpointId: e.id,
        kind: o.kind === "rollback" ? "alias_rollback" : "alias_promote",
        message: `${model.name}:${alias} ${o.kind === "rollback" ? "rolled back" : "moved"} ${o.from ? `from v${o.from} ` : ""}to v${o.to.version}`,
        data: { model: model.name, alias, fromVersion: o.from ?? null, toVersion: o.to.version, generation: bumped.generation, forced: !!o.forced },
        actorLabel: actor.label,
      },
    });
  }
  return { endpoints: affected.map((e) => e.name), historyId: history.id };
}
