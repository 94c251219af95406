import type { Db } from "@/lib/db/client";
import type { EndpointListItem } from "./api-schemas";
import { endpointListItem, endpointViewInclude } from "./endpoint-view";

/** Every endpoint with its variants, shares, resolved versions and data-plane states, by name. */
export async function listEndpoints(opts: { db: Db }): Promise<EndpointListItem[]> {
  const rows = await opts.db.endpoint.findMany({ include: endpointViewInclude, orderBy: { name: "asc" } });
  return rows.map(endpointListItem);
}

/** Just the names, for forms that must not reuse one. */
export async function listEndpointNames(opts: { db: Db }): Promise<string[]> {
  const rows = await opts.db.endpoint.findMany({ select: { name: true }, orderBy: { name: "asc" } });
  return rows.map((r) => r.name);
}
