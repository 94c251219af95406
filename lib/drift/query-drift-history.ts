// A feature's drift score over time from the stored reports (one point per report, at the end of its window), with
// the threshold it was judged against; without a feature, the share of drifted features against the dataset share.
// The feature is picked out in SQL so the reports' histograms never leave the database.
import type { Db } from "@/lib/db/client";
import { badRequest, notFound } from "@/lib/errors";

export type DriftHistoryPoint = {
  /** End of the report's window, epoch ms. */
  t: number;
  reportId: string;
  version: number | null;
  rows: number;
  value: number | null;
  threshold: number | null;
  method: string | null;
  drifted: boolean;
};

export type DriftHistory = { endpoint: string; feature: string | null; from: string; to: string; points: DriftHistoryPoint[] };

const MAX_POINTS = 2000;

type Row = {
  id: string; t: number; version: number | null; rows: number; datasetDrift: boolean; driftShare: number;
  datasetThreshold: number | null; f: { value: number | null; threshold: number; method: string; drifted: boolean } | null;
};

export async function queryDriftHistory(o: { db: Db; endpointName: string; feature?: string; from: Date; to: Date }): Promise<DriftHistory> {
  if (!(o.from < o.to)) throw badRequest("from must be before to");
  const endpoint = await o.db.endpoint.findUnique({ where: { name: o.endpointName }, select: { id: true, name: true } });
  if (!endpoint) throw notFound(`endpoint '${o.endpointName}' not found`);
  const feature = o.feature ?? null;
  const rows = await o.db.$queryRaw<Row[]>`
    SELECT * FROM (
      SELECT "id", (extract(epoch FROM "windowTo") * 1000)::float8 AS t, "version", "rows", "datasetDrift", "driftShare",
             ("features"->'dataset'->>'driftShare')::float8 AS "datasetThreshold",
             (SELECT f FROM jsonb_array_elements(coalesce("features"->'features', '[]'::jsonb) || coalesce("features"->'predictions', '[]'::jsonb)) f
               WHERE f->>'name' = ${feature} LIMIT 1) AS f
        FROM "DriftReport"
       WHERE "endpointId" = ${endpoint.id} AND "windowTo" > ${o.from} AND "windowTo" <= ${o.to}
       ORDER BY "windowTo" DESC, "createdAt" DESC
       LIMIT ${MAX_POINTS}) r
     ORDER BY t ASC`;
  const points: DriftHistoryPoint[] = [];
  for (const r of rows) {
    const base = { t: Number(r.t), reportId: r.id, version: r.version, rows: r.rows };
    if (feature === null) {
      points.push({ ...base, value: r.driftShare, threshold: r.datasetThreshold, method: "drift_share", drifted: r.datasetDrift });
    } else if (r.f) {
      points.push({ ...base, value: r.f.value, threshold: r.f.threshold, method: r.f.method, drifted: r.f.drifted });
    }
  }
  return { endpoint: endpoint.name, feature, from: o.from.toISOString(), to: o.to.toISOString(), points };
}
