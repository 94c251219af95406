// Values of the `ferry_drift_score{endpoint,feature,method}` Prometheus gauge: each endpoint's latest stored report,
// one sample per feature (inputs by name, classifier outputs as output:<name>) whose score could be computed. The
// score is the method's own value: a distance (drifted at ≥ threshold) or a p-value (drifted at < threshold), so
// `method` is a label; `ferry_drift_drifted` carries the verdict as 0/1.
import type { Db } from "@/lib/db/client";
import type { EndpointDriftReport } from "@/lib/drift/evaluate-endpoint-drift";

export type DriftGaugeValue = { endpoint: string; feature: string; method: string; value: number; threshold: number; drifted: boolean };

export async function driftGaugeValues(db: Db): Promise<DriftGaugeValue[]> {
  const endpoints = await db.endpoint.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
  const values: DriftGaugeValue[] = [];
  for (const e of endpoints) {
    const latest = await db.driftReport.findFirst({
      where: { endpointId: e.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { features: true },
    });
    const report = latest?.features as Partial<EndpointDriftReport> | undefined;
    for (const f of [...(report?.features ?? []), ...(report?.predictions ?? [])]) {
      if (f.value === null || !Number.isFinite(f.value)) continue;
      values.push({ endpoint: e.name, feature: f.name, method: f.method, value: f.value, threshold: f.threshold, drifted: f.drifted });
    }
  }
  return values;
}

const escapeLabel = (s: string) => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

/** The gauges in Prometheus text format, for a /metrics handler that does not use prom-client's registry. */
export function renderDriftGauges(values: readonly DriftGaugeValue[]): string {
  const lines = [
    "# HELP ferry_drift_score Latest drift score per endpoint and feature (a distance or a p-value, see the method label).",
    "# TYPE ferry_drift_score gauge",
  ];
  for (const v of values) {
    lines.push(`ferry_drift_score{endpoint="${escapeLabel(v.endpoint)}",feature="${escapeLabel(v.feature)}",method="${v.method}"} ${v.value}`);
  }
  lines.push("# HELP ferry_drift_drifted 1 when the feature drifted in the latest report.", "# TYPE ferry_drift_drifted gauge");
  for (const v of values) lines.push(`ferry_drift_drifted{endpoint="${escapeLabel(v.endpoint)}",feature="${escapeLabel(v.feature)}"} ${v.drifted ? 1 : 0}`);
  return lines.join("\n") + "\n";
}
