// Alerts from a drift report: signal "drift" for each drifted feature (and classifier output), signal
// "data_quality" for each feature whose missing or out-of-range rate crosses its band. Bands: distances warn at
// the threshold and are critical at twice it; p-value tests warn at the threshold and are critical below a tenth of
// it; data quality warns at 5 % and is critical at 20 % (per-endpoint settings override both). Features with fewer
// rows than `alerts.minRows` in the window never alert. An open alert whose condition stopped firing is resolved
// after the quiet period.
import type { Db } from "@/lib/db/client";
import { severityFor, thresholdFor, type Bands } from "@/lib/alerts/evaluate-bands";
import { quietResolve } from "@/lib/alerts/quiet-resolve";
import { raiseAlert } from "@/lib/alerts/raise-alert";
import type { DriftSettings } from "@/lib/drift/drift-settings";
import type { EndpointDriftReport, EndpointFeatureDrift } from "@/lib/drift/evaluate-endpoint-drift";
import { formatScore } from "@/lib/drift/format-score";
import { isPValueMethod, methodLabel } from "@/lib/drift/select-method";
import { formatBucketTime } from "@/lib/metrics/prepare-time-series";

export function driftBands(f: Pick<EndpointFeatureDrift, "method" | "threshold">): Bands {
  return isPValueMethod(f.method)
    ? { warn: f.threshold, critical: f.threshold / 10, direction: "below" }
    : { warn: f.threshold, critical: 2 * f.threshold, direction: "above" };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** e.g. "KS p-value 0.00118, below 0.05 (critical below 0.005), over 245 rows of v1, 2026-11-28 03:07 UTC – 2026-11-28 04:07 UTC". */
export function driftAlertMessage(f: Pick<EndpointFeatureDrift, "method" | "value" | "threshold" | "currentRows">, where: string): string {
  const bands = driftBands(f);
  const side = bands.direction === "below" ? "below" : "at or above";
  return `${methodLabel(f.method)} ${formatScore(f.value)}, ${side} ${formatScore(f.threshold)} (critical ${side} ${formatScore(bands.critical)}), over ${f.currentRows} rows of ${where}`;
}

export type DriftAlertOutcome = { raised: number; resolved: number; firing: { signal: "drift" | "data_quality"; feature: string; severity: string }[] };

export async function raiseDriftAlerts(o: {
  db: Db;
  endpointId: string;
  report: EndpointDriftReport & { id?: string };
  settings: DriftSettings;
  now?: Date;
}): Promise<DriftAlertOutcome> {
  const { db, report, settings } = o;
  const now = o.now ?? new Date();
  const outcome: DriftAlertOutcome = { raised: 0, resolved: 0, firing: [] };
  if (!settings.alerts.enabled) return outcome;
  const chart = { chartFrom: new Date(report.window.from), chartTo: new Date(report.window.to) };
  const where = `v${report.version}, ${formatBucketTime(Date.parse(report.window.from))} – ${formatBucketTime(Date.parse(report.window.to))}`;

  for (const f of [...report.features, ...report.predictions]) {
    if (!f.drifted || f.currentRows < settings.alerts.minRows) continue;
    const bands = driftBands(f);
    // A drifted feature alerts at least as a warning even when it sits exactly on the edge the bands exclude.
    const severity = severityFor(f.value, bands) ?? "warn";
    await raiseAlert({
      db, endpointId: o.endpointId, signal: "drift", feature: f.name, severity, value: f.value, threshold: thresholdFor(severity, bands),
      title: `${f.name} drifted on ${report.endpoint}`,
      message: driftAlertMessage(f, where),
      context: { reportId: report.id, version: report.version, method: f.method, stats: f.stats, window: report.window, reference: report.reference },
      now, ...chart,
    });
    outcome.raised++;
    outcome.firing.push({ signal: "drift", feature: f.name, severity });
  }

  const qualityBands: Bands = { warn: settings.alerts.qualityWarn, critical: settings.alerts.qualityCritical, direction: "above" };
  for (const f of report.features) {
    if (f.quality.count < settings.alerts.minRows) continue;
    const worst = f.quality.missingRate >= f.quality.outOfRangeRate ? "missing" : "out of the reference range";
    const value = Math.max(f.quality.missingRate, f.quality.outOfRangeRate);
    const severity = severityFor(value, qualityBands);
    if (!severity) continue;
    await raiseAlert({
      db, endpointId: o.endpointId, signal: "data_quality", feature: f.name, severity, value, threshold: thresholdFor(severity, qualityBands),
      title: `${f.name}: ${pct(value)} of values ${worst} on ${report.endpoint}`,
      message: `missing ${pct(f.quality.missingRate)}, out of range ${pct(f.quality.outOfRangeRate)} over ${f.quality.count} rows of ${where}`,
      context: { reportId: report.id, version: report.version, quality: f.quality, window: report.window },
      now, ...chart,
    });
    outcome.raised++;
    outcome.firing.push({ signal: "data_quality", feature: f.name, severity });
  }

  const open = await db.alert.findMany({
    where: { endpointId: o.endpointId, signal: { in: ["drift", "data_quality"] }, openKey: { not: null } },
    select: { signal: true, feature: true },
  });
  const firing = new Set(outcome.firing.map((a) => `${a.signal}\u0000${a.feature}`));
  for (const a of open) {
    if (firing.has(`${a.signal}\u0000${a.feature}`)) continue;
    const resolved = await quietResolve({
      db, endpointId: o.endpointId, signal: a.signal as "drift" | "data_quality", feature: a.feature, quietForMs: settings.alerts.quietMinutes * 60_000, now,
    });
    if (resolved) outcome.resolved++;
  }
  return outcome;
}
