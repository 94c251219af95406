// The newest stored drift report of an endpoint (optionally one whose window matches exactly), or null.
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { reportFromRow, type StoredDriftReport } from "@/lib/drift/store-drift-report";

export async function getLatestDriftReport(o: { db: Db; endpointName: string; from?: Date; to?: Date }): Promise<StoredDriftReport | null> {
  const endpoint = await o.db.endpoint.findUnique({ where: { name: o.endpointName }, select: { id: true } });
  if (!endpoint) throw notFound(`endpoint '${o.endpointName}' not found`);
  const row = await o.db.driftReport.findFirst({
    where: { endpointId: endpoint.id, ...(o.from && o.to ? { windowFrom: o.from, windowTo: o.to } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, trigger: true, createdAt: true, features: true },
  });
  return row ? reportFromRow(row) : null;
}
