/** One model with its versions, aliases, alias history, pending promotion requests and endpoints. */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { parseModelName } from "./model-name";
import { rollbackTarget } from "./rollback-alias";
import { versionJson } from "./version-json";

export async function getModel(o: { db: Db; name: string; historyLimit?: number }) {
  const name = parseModelName(o.name);
  const m = await o.db.model.findUnique({
    where: { name },
    include: {
      versions: { orderBy: { version: "desc" } },
      aliases: { include: { version: { select: { version: true } } }, orderBy: { name: "asc" } },
      aliasHistory: { orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: o.historyLimit ?? 100 },
      promotionRequests: { orderBy: { createdAt: "desc" }, take: 50 },
      endpoints: { select: { name: true, generation: true, config: true }, orderBy: { name: "asc" } },
    },
  });
  if (!m) throw notFound(`model '${name}' not found`);
  // Each alias's latest move (not only those among the history rows above): where "Roll back" would take it.
  const latestMoves = await o.db.aliasHistory.findMany({
    where: { modelId: m.id },
    distinct: ["alias"],
    orderBy: [{ alias: "asc" }, { createdAt: "desc" }, { id: "desc" }],
    select: { alias: true, fromVersion: true },
  });
  const rollbackTo = new Map(latestMoves.map((h) => [h.alias, rollbackTarget(h)]));
  const aliasesByVersion = new Map<number, string[]>();
  for (const a of m.aliases) aliasesByVersion.set(a.version.version, [...(aliasesByVersion.get(a.version.version) ?? []), a.name]);
  return {
    name: m.name,
    description: m.description,
    tags: m.tags,
    requireApproval: m.requireApproval,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
    versions: m.versions.map((v) => versionJson(m.name, v, aliasesByVersion.get(v.version) ?? [], { labels: false })),
    aliases: m.aliases.map((a) => ({ name: a.name, version: a.version.version, updatedAt: a.updatedAt.toISOString(), rollbackTo: rollbackTo.get(a.name) ?? null })),
    aliasHistory: m.aliasHistory.map((h) => ({
      id: h.id,
      alias: h.alias,
      fromVersion: h.fromVersion,
      toVersion: h.toVersion,
      kind: h.kind,
      forced: h.forced,
      actor: h.actorLabel,
      reason: h.reason,
      createdAt: h.createdAt.toISOString(),
    })),
    promotionRequests: m.promotionRequests.map((r) => ({
      id: r.id,
      alias: r.alias,
      version: r.version,
      status: r.status,
      requestedBy: r.requestedBy,
      requestedById: r.requestedById,
      decidedBy: r.decidedBy,
      note: r.note,
      createdAt: r.createdAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
    })),
    endpoints: m.endpoints.map((e) => ({ name: e.name, generation: e.generation })),
  };
}

export type ModelDetail = Awaited<ReturnType<typeof getModel>>;
