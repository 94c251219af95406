// Two-sample Kolmogorov–Smirnov test, two-sided, as scipy.stats.ks_2samp(method="auto") computes it:
// exact path counting when both samples have at most 10 000 values, Smirnov's distribution (kstwo)
// with n = round(n1·n2/(n1+n2)) otherwise or when the exact count fails.
import { kolmogorovSf } from "@/lib/drift/kolmogorov-distribution";

export type KsResult = { statistic: number; pvalue: number; method: "exact" | "asymp" };

const MAX_AUTO_N = 10_000;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Pr(D_{n,n} ≥ h/n) for equal sample sizes (Horner-like form of the alternating sum). */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
    k -= 1;
  }
  return 2 * P;
}

/** 1 − (share of lattice paths staying strictly inside |x/m − y/n| < h/lcm), Viehmann's recursion. */
function outerProbInsideMethod(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 < n0 ? [n0, m0] : [m0, n0];
  const mg = Math.floor(m / g);
  const ng = Math.floor(n / g);
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  for (let j = minj; j < Math.min(maxj, lenA); j++) A[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) {
      for (let q = maxj - minj; q < Math.min(maxj - minj + (lastlen - curlen), lenA); q++) A[q] = 1;
    }
  }
  return A[maxj - minj - 1];
}

/** The two-sided statistic sup |F1 − F2| over the pooled sample; inputs must be sorted ascending. */
export function ksStatisticSorted(a: readonly number[], b: readonly number[]): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxS = -Infinity;
  let minS = Infinity;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    while (i < n1 && a[i] <= v) i++;
    while (j < n2 && b[j] <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  return Math.max(maxS, Math.min(Math.max(-minS, 0), 1));
}

/** scipy.stats.ks_2samp(a, b) with alternative="two-sided", method="auto"; non-finite values are dropped. */
export function ksTwoSample(a: readonly number[], b: readonly number[]): KsResult {
  // A NaN would also stall the merge walk in ksStatisticSorted, which relies on ordered comparisons.
  const sa = a.filter(Number.isFinite).sort((x, y) => x - y);
  const sb = b.filter(Number.isFinite).sort((x, y) => x - y);
  if (sa.length === 0 || sb.length === 0) throw new Error("ksTwoSample needs two non-empty samples");
  const n1 = sa.length;
  const n2 = sb.length;
  let d = ksStatisticSorted(sa, sb);
  if (Math.max(n1, n2) <= MAX_AUTO_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pvalue: 1, method: "exact" };
    const prob = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInsideMethod(n1, n2, g, h);
    if (Number.isFinite(prob) && prob >= 0 && prob <= 1) return { statistic: d, pvalue: prob, method: "exact" };
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  // numpy rounds half to even.
  const rounded = Math.abs(en - Math.trunc(en)) === 0.5 ? 2 * Math.round(en / 2) : Math.round(en);
  const pvalue = Math.min(1, Math.max(0, kolmogorovSf(rounded, d)));
  return { statistic: d, pvalue, method: "asymp" };
}
