/**
 * Deletes an endpoint (`DELETE /api/endpoints/{name}`): the endpoint row with what hangs off it (per-instance state,
 * timeline, rollouts, alerts) and its drift and alert settings, audited with the config it had, in one transaction.
 * The data planes are told after the commit: they stop routing to it (404, like any unknown endpoint) and unload
 * versions nothing else serves once their last request has finished. Metric rollups, prediction logs and drift
 * sketches, keyed by the endpoint's id, are left to the retention job (a new endpoint of the same name gets a new
 * id, so it starts with an empty history). The model and its versions are not touched.
 */
import type { Actor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { SETTING_KINDS, SETTING_SPECS } from "@/lib/settings/endpoint-settings";
import { notifyEndpoints } from "@/lib/registry/notify-endpoints";

export interface DeleteEndpointOptions {
  db: Db;
  name: string;
  actor: Actor;
}

export async function deleteEndpoint(opts: DeleteEndpointOptions): Promise<{ name: string; model: string; generation: number }> {
  const { db, name, actor } = opts;
  const deleted = await db.$transaction(async (tx) => {
    const existing = await tx.endpoint.findUnique({ where: { name }, include: { model: { select: { name: true } } } });
    if (!existing) throw notFound(`endpoint '${name}' not found`);
    const settingKeys = SETTING_KINDS.map((kind) => SETTING_SPECS[kind].key(name));
    const settings = await tx.setting.findMany({ where: { key: { in: settingKeys } } });
    await tx.setting.deleteMany({ where: { key: { in: settingKeys } } });
    await tx.endpoint.delete({ where: { id: existing.id } });
    await recordAudit(tx, actor, {
      action: "endpoint.delete",
      objectType: "endpoint",
      objectId: name,
      before: { generation: existing.generation, model: existing.model.name, description: existing.description, config: existing.config, settings: Object.fromEntries(settings.map((s) => [s.key, s.value])) },
    });
    return { name, model: existing.model.name, generation: existing.generation };
  });
  await notifyEndpoints([name]);
  return deleted;
}
