/**
 * Turns an endpoint-metrics answer into what a line chart draws: one row per step on a complete time axis (a step
 * without rollups is null — a gap — never 0), one series per variant (and percentile), stable colours, a unit.
 * Pure and unit-tested; the Recharts components only draw the result.
 */
import type { EndpointMetrics, MetricPoint } from "./query-endpoint-metrics";
import { chooseLatencyUnit, toDisplayUnit, type MetricUnit } from "./prepare-units";

export type ChartMetric = "throughput" | "errorRate" | "latency";
export type Percentile = "p50" | "p95" | "p99";
export const PERCENTILES: Percentile[] = ["p50", "p95", "p99"];

/**
 * Colour-blind-safe palette (Okabe–Ito order, then Tableau). A version keeps its colour on every chart and range,
 * because the colour comes from the version number, not from its position in the list.
 */
export const SERIES_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8c564b", "#7f7f7f", "#bcbd22", "#17becf"];

export function versionColor(version: number): string {
  const i = (((version - 1) % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length;
  return SERIES_COLORS[i];
}

/** Percentiles of one variant share its colour and differ by dash. */
export const PERCENTILE_DASH: Record<Percentile, string | undefined> = { p50: "2 3", p95: undefined, p99: "8 3" };

export interface ChartSeries {
  /** The row field this series reads, e.g. "v2" or "v2_p95". */
  key: string;
  label: string;
  version: number;
  color: string;
  dash?: string;
}

export interface ChartRow {
  t: number;
  [key: string]: number | null;
}

export interface PreparedChart {
  metric: ChartMetric;
  unit: MetricUnit;
  series: ChartSeries[];
  rows: ChartRow[];
  /** True when at least one value is present: charts with none show "no traffic" instead of empty axes. */
  hasData: boolean;
  step: number;
  from: number;
  to: number;
}

/** Every bucket start from `from` (aligned) up to and including the bucket holding `to`. */
export function timeAxis(fromMs: number, toMs: number, stepSeconds: number): number[] {
  const stepMs = stepSeconds * 1000;
  const start = Math.floor(fromMs / stepMs) * stepMs;
  const out: number[] = [];
  for (let t = start; t < toMs; t += stepMs) out.push(t);
  return out;
}

function valueOf(p: MetricPoint, metric: ChartMetric, percentile: Percentile): number | null {
  if (metric === "throughput") return p.rps;
  if (metric === "errorRate") return p.errorRate;
  return p[percentile];
}

export function prepareTimeSeries(opts: {
  metrics: EndpointMetrics;
  metric: ChartMetric;
  /** Latency only: which percentiles to draw (one line per variant per percentile). */
  percentiles?: Percentile[];
}): PreparedChart {
  const { metrics, metric } = opts;
  const percentiles = metric === "latency" ? (opts.percentiles?.length ? opts.percentiles : ["p95" as const]) : ["p95" as const];
  const from = Date.parse(metrics.from);
  const to = Date.parse(metrics.to);
  const axis = timeAxis(from, to, metrics.step);
  const index = new Map(axis.map((t, i) => [t, i]));

  let unit: MetricUnit = metric === "throughput" ? "req/s" : metric === "errorRate" ? "%" : "ms";
  if (metric === "latency") {
    const values = metrics.variants.flatMap((v) => v.points.flatMap((p) => percentiles.map((q) => p[q])));
    unit = chooseLatencyUnit(values);
  }

  const series: ChartSeries[] = [];
  const rows: ChartRow[] = axis.map((t) => ({ t }));
  let hasData = false;
  for (const v of metrics.variants) {
    for (const q of percentiles) {
      const key = metric === "latency" && percentiles.length > 1 ? `${v.label}_${q}` : v.label;
      const label = metric === "latency" ? `${v.label} ${q}` : v.label;
      series.push({ key, label, version: v.version, color: versionColor(v.version), dash: metric === "latency" && percentiles.length > 1 ? PERCENTILE_DASH[q] : undefined });
      for (const row of rows) row[key] = null;
      for (const p of v.points) {
        const i = index.get(p.t);
        if (i === undefined) continue;
        const raw = valueOf(p, metric, q);
        if (raw == null) continue;
        rows[i][key] = toDisplayUnit(raw, unit);
        hasData = true;
      }
    }
  }
  return { metric, unit, series, rows, hasData, step: metrics.step, from, to };
}

/** Fills a sparkline's buckets (fleet overview): missing buckets are null so the line breaks. */
export function prepareSparkline<P extends { t: number }>(
  points: readonly P[],
  pick: (p: P) => number | null,
  opts: { from: number; to: number; step: number },
): { t: number; value: number | null }[] {
  const byT = new Map(points.map((p) => [p.t, pick(p)]));
  return timeAxis(opts.from, opts.to, opts.step).map((t) => ({ t, value: byT.get(t) ?? null }));
}

/** The x-axis tick label for a bucket start: time of day for short ranges, date for long ones (UTC, like the API). */
export function formatAxisTime(t: number, rangeMs: number): string {
  const iso = new Date(t).toISOString();
  if (rangeMs <= 36 * 3600_000) return iso.slice(11, 16);
  if (rangeMs <= 8 * 86400_000) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(5, 10);
}

/** The tooltip's heading: the bucket and its width, e.g. "2024-05-01 10:05 UTC · 5 min". */
export function formatBucketTime(t: number): string {
  return `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
