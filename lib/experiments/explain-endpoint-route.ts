/**
 * "Test a sample header set": which variant and version would answer this request, and why — against the endpoint's
 * stored config, or a draft the routing editor has not saved yet, with aliases resolved as the data plane would.
 */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { parseEndpointConfig } from "@/lib/routing/endpoint-config.schema";
import { explainRoute, type RouteExplanation } from "@/lib/routing/explain-route";
import { resolveVariants } from "@/lib/routing/resolve-variants";

export async function explainEndpointRoute(o: {
  db: Db;
  endpointName: string;
  headers: Record<string, string>;
  parameters?: Record<string, unknown>;
  /** A draft config to explain instead of the stored one. */
  config?: unknown;
}): Promise<RouteExplanation & { generation: number; draft: boolean }> {
  const endpoint = await o.db.endpoint.findUnique({ where: { name: o.endpointName }, select: { modelId: true, config: true, generation: true } });
  if (!endpoint) throw notFound(`endpoint '${o.endpointName}' does not exist`);
  const config = parseEndpointConfig(o.config ?? endpoint.config);
  const aliases = Object.fromEntries(
    (await o.db.alias.findMany({ where: { modelId: endpoint.modelId }, select: { name: true, version: { select: { version: true } } } })).map((a) => [a.name, a.version.version]),
  );
  const resolved = resolveVariants({ ...config, shadow: undefined, rollout: undefined }, aliases);
  // Header names are case-insensitive: the router reads lower-case names, as Node delivers them.
  const headers = Object.fromEntries(Object.entries(o.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const explanation = explainRoute(config, resolved, { headers, parameters: o.parameters });
  return { ...explanation, generation: endpoint.generation, draft: o.config !== undefined };
}
