import type { Db } from "@/lib/db/client";
import type { EndpointListItem } from "./api-schemas";
import { endpointListItem, endpointViewInclude } from "./endpoint-view";

/** Every endpoint with its variants, shares, resolved versions and data-plane states, by name. */
export async function listEndpoints(opts: { db: Db }): Promise<EndpointListItem[]> {
  const rows = await opts.db.endpoint.findMany({ include: endpointViewInclude, orderBy: { name: "asc" } });
  return rows.map(endpointListItem);
}
