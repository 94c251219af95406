import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { EndpointDetail } from "./api-schemas";
import { endpointListItem, endpointViewInclude, resolveTarget, statesFor } from "./endpoint-view";

/** One endpoint: its config, generation, each variant's state on every data-plane instance, and its recent timeline. */
export async function getEndpoint(opts: { db: Db; name: string }): Promise<EndpointDetail> {
  const row = await opts.db.endpoint.findUnique({
    where: { name: opts.name },
    include: { ...endpointViewInclude, events: { orderBy: { createdAt: "desc" }, take: 20 } },
  });
  if (!row) throw notFound(`endpoint '${opts.name}' not found`);
  const config = (row.config ?? {}) as Record<string, unknown>;
  const shadow = config.shadow as { version?: number; alias?: string; percent?: number } | undefined;
  const shadowVersion = shadow ? resolveTarget(row, shadow) : null;
  const item = endpointListItem(row);
  const primary = [...item.variants].sort((a, b) => b.weight - a.weight)[0]?.resolvedVersion ?? null;
  const version =
    primary === null
      ? null
      : await opts.db.modelVersion.findUnique({ where: { modelId_version: { modelId: row.modelId, version: primary } }, select: { signature: true } });
  return {
    ...item,
    signature: (version?.signature ?? null) as EndpointDetail["signature"],
    config,
    shadow: shadow ? { version: shadowVersion, percent: Number(shadow.percent) || 0, states: statesFor(row, shadowVersion) } : null,
    createdAt: row.createdAt.toISOString(),
    events: row.events.map((e) => ({ kind: e.kind, message: e.message, actorLabel: e.actorLabel, createdAt: e.createdAt.toISOString() })),
  };
}
