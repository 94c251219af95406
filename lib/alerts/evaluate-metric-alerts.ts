/**
 * The metric-alert job: for each endpoint, sum the last few minutes of MetricRollup rows over instances and versions,
 * and raise `error_rate` and `latency` (p95 from merged histogram buckets) alerts when they cross their bands; an
 * alert that has not re-fired for the quiet period is resolved. Endpoint-wide only (feature ""): a per-version
 * breakdown belongs in the alert's context, not in separate alerts.
 */
import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/logger";
import { emptyBuckets, mergeBucketsInto, quantileFromBuckets } from "@/lib/metrics/latency-buckets";
import { alertSettingKey, resolveAlertSettings } from "./alert-settings";
import { severityFor, thresholdFor } from "./evaluate-bands";
import { quietResolve } from "./quiet-resolve";
import { raiseAlert } from "./raise-alert";

const CHART_LEAD_MS = 60 * 60_000;

interface Window {
  count: number;
  errors: number;
  buckets: number[];
  byVersion: Map<number, { count: number; errors: number }>;
}

export async function evaluateMetricAlerts(o: { db: Db; now?: Date }): Promise<{ raised: number; resolved: number }> {
  const now = o.now ?? new Date();
  const endpoints = await o.db.endpoint.findMany({ select: { id: true, name: true } });
  const settingsRows = await o.db.setting.findMany({ where: { key: { in: endpoints.map((e) => alertSettingKey(e.name)) } } });
  const stored = new Map(settingsRows.map((s) => [s.key, s.value]));
  let raised = 0;
  let resolved = 0;

  for (const ep of endpoints) {
    const { settings, error } = resolveAlertSettings(stored.get(alertSettingKey(ep.name)));
    if (error) logger().warn({ endpoint: ep.name, error }, `ignoring invalid Setting ${alertSettingKey(ep.name)}`);
    const quietForMs = settings.quietMinutes * 60_000;
    const from = new Date(now.getTime() - settings.windowMinutes * 60_000);
    const w = settings.enabled ? await readWindow(o.db, ep.id, from, now) : null;

    if (w && w.count >= settings.minRequests) {
      const chart = { chartFrom: new Date(now.getTime() - CHART_LEAD_MS), chartTo: now };
      const window = { from: from.toISOString(), to: now.toISOString(), requests: w.count };

      const rate = w.errors / w.count;
      const rateSeverity = severityFor(rate, settings.errorRate);
      if (rateSeverity) {
        const threshold = thresholdFor(rateSeverity, settings.errorRate);
        await raiseAlert({
          db: o.db, endpointId: ep.id, signal: "error_rate", severity: rateSeverity, value: rate, threshold, now, ...chart,
          title: `Error rate ${pct(rate)} on ${ep.name}`,
          message: `${w.errors} of ${w.count} requests failed in the last ${settings.windowMinutes} min (${rateSeverity} at ≥ ${pct(threshold)}).`,
          context: { window, errors: w.errors, bands: settings.errorRate, versions: Object.fromEntries(w.byVersion) },
        });
        raised++;
      }

      const p95 = quantileFromBuckets(w.buckets, 0.95);
      const latencySeverity = severityFor(p95, settings.latencyP95Ms);
      if (latencySeverity && p95 != null) {
        const threshold = thresholdFor(latencySeverity, settings.latencyP95Ms);
        await raiseAlert({
          db: o.db, endpointId: ep.id, signal: "latency", severity: latencySeverity, value: p95, threshold, now, ...chart,
          title: `p95 latency ${Math.round(p95)} ms on ${ep.name}`,
          message: `p95 over the last ${settings.windowMinutes} min is ${p95.toFixed(1)} ms (${latencySeverity} at ≥ ${threshold} ms).`,
          context: { window, quantile: 0.95, bands: settings.latencyP95Ms },
        });
        raised++;
      }
    }

    for (const signal of ["error_rate", "latency"] as const) {
      if (await quietResolve({ db: o.db, endpointId: ep.id, signal, quietForMs, now })) resolved++;
    }
  }
  return { raised, resolved };
}

async function readWindow(db: Db, endpointId: string, from: Date, to: Date): Promise<Window> {
  const rows = await db.metricRollup.findMany({
    where: { endpointId, minute: { gte: from, lte: to } },
    select: { version: true, count: true, errors: true, latencyBuckets: true },
  });
  const w: Window = { count: 0, errors: 0, buckets: emptyBuckets(), byVersion: new Map() };
  for (const r of rows) {
    w.count += r.count;
    w.errors += r.errors;
    mergeBucketsInto(w.buckets, r.latencyBuckets);
    const v = w.byVersion.get(r.version) ?? { count: 0, errors: 0 };
    v.count += r.count;
    v.errors += r.errors;
    w.byVersion.set(r.version, v);
  }
  return w;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
