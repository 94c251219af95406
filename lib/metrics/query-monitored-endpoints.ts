/** The endpoints the monitoring page can show, for its selector. */
import type { Db } from "@/lib/db/client";

export interface MonitoredEndpoint {
  name: string;
  model: string;
}

export async function queryMonitoredEndpoints(opts: { db: Db }): Promise<MonitoredEndpoint[]> {
  const rows = await opts.db.endpoint.findMany({ orderBy: { name: "asc" }, select: { name: true, model: { select: { name: true } } } });
  return rows.map((r) => ({ name: r.name, model: r.model.name }));
}
