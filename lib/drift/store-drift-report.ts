// Stores an evaluated report as a DriftReport row. The whole payload goes into the `features` JSON column so a stored
// report reads back exactly as it was computed; `driftShare` holds the share of features that drifted (the value the
// history chart plots), the dataset threshold stays inside the payload (`dataset.driftShare`).
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { EndpointDriftReport } from "@/lib/drift/evaluate-endpoint-drift";

export type StoredDriftReport = EndpointDriftReport & { id: string; trigger: string; createdAt: string };

export async function storeDriftReport(o: {
  db: Db | Tx;
  endpointId: string;
  report: EndpointDriftReport;
  trigger: "schedule" | "manual";
}): Promise<StoredDriftReport> {
  const { report } = o;
  const row = await o.db.driftReport.create({
    data: {
      endpointId: o.endpointId,
      version: report.version,
      windowFrom: new Date(report.window.from),
      windowTo: new Date(report.window.to),
      rows: report.rows,
      datasetDrift: report.datasetDrift,
      driftShare: report.dataset.share,
      features: JSON.parse(JSON.stringify(report)) as Prisma.InputJsonValue,
      trigger: o.trigger,
    },
    select: { id: true, trigger: true, createdAt: true },
  });
  return { ...report, id: row.id, trigger: row.trigger, createdAt: row.createdAt.toISOString() };
}

/** A stored row back as the report it was. */
export function reportFromRow(row: { id: string; trigger: string; createdAt: Date; features: unknown }): StoredDriftReport {
  return { ...(row.features as EndpointDriftReport), id: row.id, trigger: row.trigger, createdAt: row.createdAt.toISOString() };
}
