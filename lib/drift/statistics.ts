// Drift statistics with Evidently's formulas (evidently.legacy.calculations.stattests) and scipy's
// numerics. Pure: no I/O. Counts/proportions in, numbers out; the raw-sample entry points bin the
// data exactly as Evidently does before calling the count-based ones.
import { chiSquaredSf, normalCdf } from "@/lib/drift/special-functions";

export { ksTwoSample, type KsResult } from "@/lib/drift/ks-two-sample";

export type Category = string;

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/** Evidently's get_binned_data(feel_zeroes=True): empty bins get min(non-zero share)/1e6 (or 1e-4 when that min exceeds 1e-4). */
export function fillZeroShares(shares: readonly number[]): number[] {
  const nonZero = shares.filter((s) => s !== 0);
  if (nonZero.length === 0) return [...shares];
  const min = Math.min(...nonZero);
  const fill = min <= 0.0001 ? min / 10 ** 6 : 0.0001;
  return shares.map((s) => (s === 0 ? fill : s));
}

/** Shares of each bin; Evidently divides by the sample length. */
export function toShares(counts: readonly number[], total = sum(counts)): number[] {
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/** Population Stability Index over shared bins: Σ (r − c)·ln(r / c) after Evidently's zero filling. */
export function psiFromCounts(referenceCounts: readonly number[], currentCounts: readonly number[]): number {
  const r = fillZeroShares(toShares(referenceCounts));
  const c = fillZeroShares(toShares(currentCounts));
  let psi = 0;
  for (let i = 0; i < r.length; i++) psi += (r[i] - c[i]) * Math.log(r[i] / c[i]);
  return psi;
}

function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

/** scipy.spatial.distance.jensenshannon(p, q, base) — natural log unless a base is given (Evidently passes none). */
export function jensenShannonFromCounts(p0: readonly number[], q0: readonly number[], base?: number): number {
  const sp = sum(p0);
  const sq = sum(q0);
  let js = 0;
  for (let i = 0; i < p0.length; i++) {
    const p = p0[i] / sp;
    const q = q0[i] / sq;
    const m = (p + q) / 2;
    js += relEntr(p, m) + relEntr(q, m);
  }
  if (base !== undefined) js /= Math.log(base);
  return Math.sqrt(js / 2);
}

/** L∞ distance between the two category distributions: max |p_ref − p_cur|. */
export function linfFromCounts(referenceCounts: readonly number[], currentCounts: readonly number[]): number {
  const r = toShares(referenceCounts);
  const c = toShares(currentCounts);
  let max = 0;
  for (let i = 0; i < r.length; i++) max = Math.max(max, Math.abs(r[i] - c[i]));
  return max;
}

export type ChiSquareResult = { statistic: number; pvalue: number; df: number };

/**
 * Evidently's chi-squared test: scipy.stats.chisquare(current counts, expected = reference counts ·
 * n_cur / n_ref). A category absent from the reference has zero expectation, so the statistic is ∞ and p = 0.
 */
export function chiSquareFromCounts(referenceCounts: readonly number[], currentCounts: readonly number[]): ChiSquareResult {
  const nRef = sum(referenceCounts);
  const nCur = sum(currentCounts);
  const k = nCur / nRef;
  let statistic = 0;
  for (let i = 0; i < referenceCounts.length; i++) {
    const expected = referenceCounts[i] * k;
    const diff = currentCounts[i] - expected;
    statistic += expected === 0 ? (diff === 0 ? Number.NaN : Infinity) : (diff * diff) / expected;
  }
  const df = referenceCounts.length - 1;
  return { statistic, pvalue: chiSquaredSf(statistic, df), df };
}

/**
 * Evidently's two-proportion Z-test p-value for a binary feature; counts are [first, second] with the
 * categories in sorted order (Evidently codes the first sorted category as 0).
 */
export function zTestFromCounts(referenceCounts: readonly number[], currentCounts: readonly number[]): number {
  const [r0, r1 = 0] = referenceCounts;
  const [c0, c1 = 0] = currentCounts;
  const n1 = r0 + r1;
  const n2 = c0 + c1;
  // Evidently: both samples constant and equal → p = 1.
  if ((r1 === 0 && c1 === 0) || (r0 === 0 && c0 === 0)) return 1;
  const p1 = r1 / n1;
  const p2 = c1 / n2;
  const P = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(P * (1 - P) * (1 / n1 + 1 / n2));
  return 2 * (1 - normalCdf(Math.abs(z)));
}

/** scipy.stats.wasserstein_distance(u, v): ∫ |U(t) − V(t)| dt between the empirical CDFs (non-finite values dropped). */
export function wassersteinDistance(u: readonly number[], v: readonly number[]): number {
  const su = u.filter(Number.isFinite).sort((a, b) => a - b);
  const sv = v.filter(Number.isFinite).sort((a, b) => a - b);
  const all = [...su, ...sv].sort((a, b) => a - b);
  let i = 0;
  let j = 0;
  let dist = 0;
  for (let k = 0; k < all.length - 1; k++) {
    while (i < su.length && su[i] <= all[k]) i++;
    while (j < sv.length && sv[j] <= all[k]) j++;
    dist += Math.abs(i / su.length - j / sv.length) * (all[k + 1] - all[k]);
  }
  return dist;
}

/** Population standard deviation (numpy's default ddof = 0, which Evidently uses). */
export function populationStd(xs: readonly number[]): number {
  const mean = sum(xs) / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return Math.sqrt(ss / xs.length);
}

/** Evidently's "wasserstein" method: W1(ref, cur) / max(std(ref), 0.001). */
export function wassersteinNorm(reference: readonly number[], current: readonly number[], referenceStd = populationStd(reference)): number {
  return wassersteinDistance(reference, current) / Math.max(referenceStd, 0.001);
}

/** np.histogram_bin_edges(values, bins="sturges"). */
export function sturgesEdges(values: readonly number[]): number[] {
  let first = Infinity;
  let last = -Infinity;
  let allIntegers = true;
  for (const v of values) {
    if (v < first) first = v;
    if (v > last) last = v;
    if (!Number.isInteger(v)) allIntegers = false;
  }
  let width = (last - first) / (Math.log2(values.length) + 1);
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  let bins = 1;
  if (width) {
    if (allIntegers && width < 1) width = 1;
    bins = Math.ceil((last - first) / width);
  }
  // np.linspace: i·step + start, with the last edge set to stop exactly.
  const step = (last - first) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * step + first);
  edges[bins] = last;
  return edges;
}

function lowerBound(sorted: readonly number[], x: number, right: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (right ? sorted[mid] <= x : sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** np.histogram(values, edges)[0]: half-open bins, the last one closed; values outside are dropped. */
export function histogramCounts(values: readonly number[], edges: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const cum = edges.map((e, i) => lowerBound(sorted, e, i === edges.length - 1));
  return cum.slice(1).map((c, i) => c - cum[i]);
}

/** Count per key, keys in the given order. */
export function countByKey<T>(values: readonly T[], keys: readonly T[]): number[] {
  const index = new Map(keys.map((k, i) => [k, i] as const));
  const counts = new Array<number>(keys.length).fill(0);
  for (const v of values) {
    const i = index.get(v);
    if (i !== undefined) counts[i]++;
  }
  return counts;
}

export type BinnedPair = { referenceCounts: number[]; currentCounts: number[]; edges?: number[]; keys?: (number | Category)[] };

/**
 * Evidently's get_binned_data: a numeric feature with more than 20 distinct reference values is binned
 * with Sturges edges over the pooled sample; anything else is counted per distinct value of either sample.
 */
export function binLikeEvidently(reference: readonly (number | Category)[], current: readonly (number | Category)[], kind: "numeric" | "categorical"): BinnedPair {
  if (kind === "numeric" && new Set(reference).size > 20) {
    const ref = reference as number[];
    const cur = current as number[];
    const edges = sturgesEdges([...ref, ...cur]);
    return { referenceCounts: histogramCounts(ref, edges), currentCounts: histogramCounts(cur, edges), edges };
  }
  const keys = [...new Set([...reference, ...current])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { referenceCounts: countByKey(reference, keys), currentCounts: countByKey(current, keys), keys };
}
