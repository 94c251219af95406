/**
 * Prepares the drift view's pieces from the API payloads: the verdict, the per-feature table sorted by severity,
 * a feature's score over time with its threshold, and the reference-vs-current histogram. Pure: the React
 * components only draw what these return.
 */
import { formatScore } from "@/lib/drift/format-score";
import { isPValueMethod, methodLabel } from "@/lib/drift/select-method";
import type { DriftMethod } from "@/lib/drift/types";

export type FeatureRowInput = {
  name: string;
  kind: "numeric" | "categorical";
  method: DriftMethod;
  value: number | null;
  threshold: number;
  drifted: boolean;
  stats: { psi: number | null; ks: number | null; ks_pvalue: number | null; wasserstein_norm: number | null; jensen_shannon: number | null };
  currentRows: number;
  quality: { missingRate: number; outOfRangeRate: number };
};

export type DriftTableRow = FeatureRowInput & {
  /** How far past (> 1) or short of (< 1) its threshold the feature is; null without a value. */
  severity: number | null;
  cells: { value: string; threshold: string; psi: string; ks: string; ksP: string; wasserstein: string; js: string; missing: string; outOfRange: string };
};

export { formatScore, methodLabel };
/** Whether a smaller score is worse (a p-value test), for any method name the API sends. */
/**
 * A tick of the p-value chart's log axis: its ticks are powers of ten, read as "0.01" down to "0.001" and as "1e-6"
 * below (formatScore's "1.00e-6" suits a measured value, not a round tick); anything else as formatScore.
 */
export function formatLogTick(v: number): string {
  const exponent = Math.round(Math.log10(v));
  if (!(v > 0) || Math.abs(v / 10 ** exponent - 1) > 1e-9) return formatScore(v);
  return exponent >= -3 ? String(Number(v.toPrecision(1))) : `1e${exponent}`;
}

export const isPValue = (m: string) => isPValueMethod(m as DriftMethod);

const pct = (x: number) => (x === 0 ? "0 %" : x < 0.001 ? "< 0.1 %" : `${(x * 100).toFixed(1)} %`);

/** Distances: value / threshold. p-values: threshold / value (a smaller p is worse). Capped so p = 0 still sorts. */
export function severityOf(method: string, value: number | null, threshold: number): number | null {
  if (value == null || Number.isNaN(value)) return null;
  if (isPValue(method)) return value <= 0 ? 1e12 : threshold / value;
  return threshold > 0 ? value / threshold : value;
}

export function prepareDriftTable(features: readonly FeatureRowInput[]): DriftTableRow[] {
  return features
    .map((f) => ({
      ...f,
      severity: severityOf(f.method, f.value, f.threshold),
      cells: {
        value: formatScore(f.value),
        threshold: `${isPValue(f.method) ? "p <" : "≥"} ${formatScore(f.threshold)}`,
        psi: formatScore(f.stats.psi),
        ks: formatScore(f.stats.ks),
        ksP: f.stats.ks == null ? "" : `p ${formatScore(f.stats.ks_pvalue)}`,
        wasserstein: formatScore(f.stats.wasserstein_norm),
        js: formatScore(f.stats.jensen_shannon),
        missing: pct(f.quality.missingRate),
        outOfRange: f.kind === "numeric" ? pct(f.quality.outOfRangeRate) : "—",
      },
    }))
    .sort((a, b) => Number(b.drifted) - Number(a.drifted) || (b.severity ?? -1) - (a.severity ?? -1) || a.name.localeCompare(b.name));
}

export function driftVerdict(r: { rows: number; dataset: { driftedFeatures: number; totalFeatures: number; datasetDrift: boolean; driftShare: number } }) {
  const { driftedFeatures, totalFeatures, datasetDrift, driftShare } = r.dataset;
  if (r.rows === 0 || totalFeatures === 0) return { tone: "gray" as const, title: "No drift verdict yet", detail: "No traffic with a reference to compare against in this window." };
  return {
    tone: datasetDrift ? ("red" as const) : driftedFeatures > 0 ? ("yellow" as const) : ("green" as const),
    title: `${driftedFeatures} of ${totalFeatures} feature${totalFeatures === 1 ? "" : "s"} drifted`,
    detail: datasetDrift
      ? `Dataset drift: at least ${Math.round(driftShare * 100)} % of the features drifted.`
      : `No dataset drift (that takes ${Math.round(driftShare * 100)} % of the features).`,
  };
}

/** How much of the window's traffic the figures come from: every row served, or a sample past the drift budget. */
export function driftSample(r: { rows: number; rowsSkipped?: number }): { text: string; hint: string } {
  const fmt = (n: number) => n.toLocaleString("en");
  const skipped = r.rowsSkipped ?? 0;
  if (skipped === 0) return { text: `${fmt(r.rows)} rows sketched`, hint: "every row the version served in the window" };
  const served = r.rows + skipped;
  const share = (r.rows / served) * 100;
  const percent = share >= 10 ? share.toFixed(0) : share >= 1 ? share.toFixed(1) : share.toPrecision(1);
  return {
    text: `${fmt(r.rows)} of ${fmt(served)} rows sketched`,
    hint: `a sample: ${percent} % of the ${fmt(served)} rows served, past the drift budget`,
  };
}

export type HistoryPointInput = { t: number; value: number | null; threshold: number | null; drifted: boolean };
export type PreparedHistory = {
  points: { t: number; value: number | null; drifted: boolean }[];
  /** The latest threshold (thresholds change only when someone overrides them). */
  threshold: number | null;
  hasData: boolean;
  /** p-values span decades: drawn on a log axis. */
  log: boolean;
};

/** A report window with no value stays a gap; a gap between reports longer than 3 × the usual spacing is one too. */
export function prepareDriftHistory(points: readonly HistoryPointInput[], method: string | null): PreparedHistory {
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const steps = sorted.slice(1).map((p, i) => p.t - sorted[i].t).sort((a, b) => a - b);
  const usual = steps.length ? steps[Math.floor(steps.length / 2)] : 0;
  const log = method != null && isPValue(method);
  const out: PreparedHistory["points"] = [];
  sorted.forEach((p, i) => {
    if (i > 0 && usual > 0 && p.t - sorted[i - 1].t > 3 * usual) out.push({ t: sorted[i - 1].t + usual, value: null, drifted: false });
    // A log axis cannot draw 0: clamp p-values to the smallest positive double scale we show.
    const value = p.value == null ? null : log ? Math.max(p.value, 1e-300) : p.value;
    out.push({ t: p.t, value, drifted: p.drifted });
  });
  const threshold = sorted.length ? sorted[sorted.length - 1].threshold : null;
  return { points: out, threshold, hasData: sorted.some((p) => p.value != null), log };
}

export type HistogramInput = { feature: string; kind: string; bins: { label: string; reference: number; current: number }[] };
export type PreparedHistogram = { feature: string; bars: { label: string; reference: number; current: number }[]; hasData: boolean };

/** Shares as percentages; categorical features keep at most `top` categories by combined share (the rest summed). */
export function prepareHistogram(h: HistogramInput | undefined, top = 20): PreparedHistogram | null {
  if (!h) return null;
  let bins = h.bins;
  if (h.kind === "categorical" && bins.length > top) {
    const ranked = [...bins].sort((a, b) => b.reference + b.current - (a.reference + a.current));
    const rest = ranked.slice(top - 1);
    bins = [...ranked.slice(0, top - 1), { label: "(rest)", reference: rest.reduce((s, b) => s + b.reference, 0), current: rest.reduce((s, b) => s + b.current, 0) }];
  }
  const bars = bins.map((b) => ({ label: b.label, reference: Number((b.reference * 100).toFixed(2)), current: Number((b.current * 100).toFixed(2)) }));
  return { feature: h.feature, bars, hasData: bins.some((b) => b.current > 0) };
}
