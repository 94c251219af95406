/**
 * Creates or replaces an endpoint's routing (`PUT /api/endpoints/{name}`). The body is checked against the shared
 * routing schema, then against the registry: the model must exist and every version or alias a variant (or the
 * shadow, or the canary) names must exist and be ready. Updates are optimistic: the body carries the generation
 * it was edited from, and a stale one is refused with 409 rather than overwriting someone else's change. The
 * generation is bumped, the change audited with before/after and put on the endpoint's timeline, and the data
 * planes are told after the commit.
 */
import type { Actor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db/client";
import { badRequest, conflict } from "@/lib/errors";
import { nameProblem, newEndpointNameProblem } from "@/lib/registry/model-name";
import { parseEndpointConfig } from "@/lib/routing/endpoint-config.schema";
import { resolveVariants } from "@/lib/routing/resolve-variants";
import type { EndpointDetail } from "./api-schemas";
import { getEndpoint } from "./get-endpoint";
import { notifyEndpoints } from "@/lib/registry/notify-endpoints";

export interface PutEndpointOptions {
  db: Db;
  name: string;
  body: unknown;
  actor: Actor;
}

export async function putEndpoint(opts: PutEndpointOptions): Promise<{ endpoint: EndpointDetail; created: boolean }> {
  const { db, name, actor } = opts;
  const problem = nameProblem(name, "endpoint name");
  if (problem) throw badRequest(problem);
  const parsed = parseEndpointConfig(opts.body);
  const { generation: editedGeneration, ...config } = parsed;

  const created = await db.$transaction(async (tx) => {
    const model = await tx.model.findUnique({
      where: { name: config.model },
      select: {
        id: true,
        aliases: { select: { name: true, version: { select: { version: true } } } },
        versions: { select: { version: true, status: true } },
      },
    });
    if (!model) throw badRequest(`model: model "${config.model}" does not exist (upload a version of it first)`);
    const aliases = Object.fromEntries(model.aliases.map((a) => [a.name, a.version.version]));
    const resolved = resolveVariants(config, aliases, { versions: model.versions.map((v) => v.version) });
    const status = new Map(model.versions.map((v) => [v.version, v.status]));
    const used = new Set([...Object.values(resolved.variantVersions), resolved.shadowVersion, resolved.candidateVersion]);
    for (const version of used) {
      if (version === undefined) continue;
      const s = status.get(version);
      if (s !== "ready") {
        throw conflict(`version ${version} of model "${config.model}" is ${s}, not ready: only ready versions can take traffic`);
      }
    }

    const existing = await tx.endpoint.findUnique({ where: { name } });
    const reserved = existing ? undefined : newEndpointNameProblem(name);
    if (reserved) throw badRequest(reserved);
    const description = config.description ?? existing?.description ?? "";
    if (existing) {
      if (editedGeneration === undefined) {
        throw conflict(`endpoint '${name}' already exists (generation ${existing.generation}); send the generation you edited to replace it`);
      }
      const { count } = await tx.endpoint.updateMany({
        where: { id: existing.id, generation: editedGeneration },
        data: { config: config as object, modelId: model.id, description, generation: { increment: 1 } },
      });
      if (count === 0) {
        const now = await tx.endpoint.findUnique({ where: { id: existing.id }, select: { generation: true } });
        throw conflict(`the endpoint changed since you loaded it (generation ${now?.generation ?? existing.generation})`);
      }
      await recordAudit(tx, actor, {
        action: "endpoint.update",
        objectType: "endpoint",
        objectId: name,
        before: { generation: existing.generation, config: existing.config },
        after: { generation: existing.generation + 1, config },
      });
      await tx.endpointEvent.create({
        data: { endpointId: existing.id, kind: "routing", message: `routing changed (generation ${existing.generation + 1})`, data: { resolved } as object, actorLabel: actor.label },
      });
      return false;
    }
    const row = await tx.endpoint.create({ data: { name, modelId: model.id, description, config: config as object } });
    await recordAudit(tx, actor, { action: "endpoint.create", objectType: "endpoint", objectId: name, after: { generation: 1, config } });
    await tx.endpointEvent.create({
      data: { endpointId: row.id, kind: "routing", message: "endpoint created (generation 1)", data: { resolved } as object, actorLabel: actor.label },
    });
    return true;
  });

  await notifyEndpoints([name]);
  return { endpoint: await getEndpoint({ db, name }), created };
}
