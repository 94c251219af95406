// What `GET /api/endpoints/{name}/drift` and the drift page show: a window computed now when one is asked for;
// otherwise the latest stored report, or the last hour up to now computed now when nothing was stored yet.
import type { Db } from "@/lib/db/client";
import { checkDriftWindow } from "@/lib/drift/evaluate-and-store-drift";
import { evaluateEndpointDrift } from "@/lib/drift/evaluate-endpoint-drift";
import { getLatestDriftReport } from "@/lib/drift/get-latest-drift-report";
import type { StoredDriftReport } from "@/lib/drift/store-drift-report";

const MINUTE = 60_000;

export type DriftReportView = Omit<StoredDriftReport, "id" | "trigger"> & { id: string | null; trigger: string | null };

export async function getDriftReport(o: { db: Db; endpointName: string; from?: Date; to?: Date; version?: number; now?: Date }): Promise<DriftReportView> {
  const now = o.now ?? new Date();
  if (!o.from || !o.to) {
    const latest = o.version === undefined ? await getLatestDriftReport({ db: o.db, endpointName: o.endpointName }) : null;
    if (latest) return latest;
  }
  // Up to now: the running minute's sketches are flushed as they grow (every few seconds), so a window ending now
  // includes the traffic of the last seconds; minute rows are selected by minute >= from and < to, so this is still
  // 60 whole minute rows, the running one the last.
  const to = o.to ?? now;
  const from = o.from ?? new Date(to.getTime() - 60 * MINUTE);
  checkDriftWindow(from, to);
  const report = await evaluateEndpointDrift({ db: o.db, endpointName: o.endpointName, from, to, version: o.version });
  return { ...report, id: null, trigger: null, createdAt: now.toISOString() };
}
