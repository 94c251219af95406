/**
 * Mixture sequential probability ratio test (mSPRT; Johari, Pekelis, Koomen & Walsh, "Always valid inference",
 * 2017/2022) for the difference of two proportions, θ = p_B − p_A.
 *
 * Why not a t-test: the experiment view refreshes every few seconds and an operator stops when the number looks
 * good. A fixed-horizon p-value checked repeatedly is wrong far more often than its α. The mSPRT's likelihood
 * ratio Λ_n (the normal likelihood of θ̂ mixed over a N(θ0, τ²) prior on θ) is a martingale under H0, so by Ville's
 * inequality P(∃n: Λ_n ≥ 1/α) ≤ α: the p-value min_n 1/Λ_n and the confidence sequence {θ0 : Λ_n(θ0) < 1/α} are
 * valid at every moment anyone looks.
 *
 * With the normal approximation θ̂ ~ N(θ, V), V = p̃_A(1−p̃_A)/n_A + p̃_B(1−p̃_B)/n_B:
 *   Λ_n(θ0) = sqrt(V / (V + τ²)) · exp( τ² (θ̂ − θ0)² / (2V(V + τ²)) )
 * p̃ is smoothed ((x + ½)/(n + 1)) only inside V, so that 0 errors out of 1,000 is not a variance of zero.
 * Pure.
 */

export interface ProportionCounts {
  /** Trials (requests, or predictions with feedback). */
  n: number;
  /** Successes of the measured event (errors, or correct predictions). */
  x: number;
}

export interface MsprtOptions {
  /** Significance level; default 0.05. */
  alpha?: number;
  /** Standard deviation of the mixture prior on the difference; default 0.03 (3 percentage points). */
  tau?: number;
  /** "No difference" when the whole confidence interval lies within ±margin; default 0.005 (0.5 pp). */
  equivalenceMargin?: number;
  /** No verdict other than "no difference yet" before both arms have this many trials; default 100. */
  minSamples?: number;
  /** "lower" when fewer events are better (error rate), "higher" when more are (accuracy). */
  better: "lower" | "higher";
}

export type Verdict = "B is better" | "A is better" | "no difference yet" | "no difference";

export interface MsprtPoint {
  a: ProportionCounts;
  b: ProportionCounts;
  /** p_B − p_A. */
  difference: number;
  variance: number;
  /** Λ_n(0). */
  likelihoodRatio: number;
  /** Half-width of the always-valid interval at this look alone. */
  halfWidth: number;
}

export interface MsprtResult {
  verdict: Verdict;
  a: ProportionCounts & { rate: number | null };
  b: ProportionCounts & { rate: number | null };
  difference: number | null;
  /** Always-valid p-value: the running minimum of 1/Λ over every look (capped at 1). */
  pValue: number;
  /** Always-valid confidence interval for p_B − p_A: the intersection over every look. */
  ci: [number, number];
  likelihoodRatio: number;
  looks: number;
  alpha: number;
  tau: number;
  equivalenceMargin: number;
  minSamples: number;
}

const DEFAULTS = { alpha: 0.05, tau: 0.03, equivalenceMargin: 0.005, minSamples: 100 };

const smoothed = (c: ProportionCounts) => (c.x + 0.5) / (c.n + 1);

/** Λ and the interval at one look from cumulative counts. */
export function msprtPoint(a: ProportionCounts, b: ProportionCounts, alpha: number, tau: number): MsprtPoint {
  const pa = a.x / a.n;
  const pb = b.x / b.n;
  const sa = smoothed(a);
  const sb = smoothed(b);
  const variance = (sa * (1 - sa)) / a.n + (sb * (1 - sb)) / b.n;
  const t2 = tau * tau;
  const difference = pb - pa;
  const logLr = 0.5 * Math.log(variance / (variance + t2)) + (t2 * difference * difference) / (2 * variance * (variance + t2));
  // Λ(θ0) < 1/α  ⇔  (θ̂ − θ0)² < 2V(V + τ²)/τ² · (ln(1/α) + ½ ln((V + τ²)/V))
  const bound = ((2 * variance * (variance + t2)) / t2) * (Math.log(1 / alpha) + 0.5 * Math.log((variance + t2) / variance));
  return { a, b, difference, variance, likelihoodRatio: Math.exp(Math.min(logLr, 700)), halfWidth: Math.sqrt(bound) };
}

/**
 * Runs the test over a sequence of looks (cumulative counts, e.g. one per minute of rollups, oldest first). Looks
 * where an arm has no trials yet are skipped. The last look decides the point estimate; the p-value and interval
 * carry everything seen so far.
 */
export function msprt(looks: readonly { a: ProportionCounts; b: ProportionCounts }[], options: MsprtOptions): MsprtResult {
  const alpha = options.alpha ?? DEFAULTS.alpha;
  const tau = options.tau ?? DEFAULTS.tau;
  const equivalenceMargin = options.equivalenceMargin ?? DEFAULTS.equivalenceMargin;
  const minSamples = options.minSamples ?? DEFAULTS.minSamples;
  let pValue = 1;
  let lo = -1;
  let hi = 1;
  let last: MsprtPoint | undefined;
  let counted = 0;
  for (const look of looks) {
    if (look.a.n <= 0 || look.b.n <= 0) continue;
    const point = msprtPoint(look.a, look.b, alpha, tau);
    counted++;
    last = point;
    pValue = Math.min(pValue, 1 / point.likelihoodRatio);
    lo = Math.max(lo, point.difference - point.halfWidth);
    hi = Math.min(hi, point.difference + point.halfWidth);
  }
  const final = looks.at(-1);
  const a = final?.a ?? { n: 0, x: 0 };
  const b = final?.b ?? { n: 0, x: 0 };
  // An empty intersection can only happen by chance (probability ≤ α); collapse it onto the latest estimate.
  if (lo > hi && last) lo = hi = last.difference;
  const result: MsprtResult = {
    verdict: "no difference yet",
    a: { ...a, rate: a.n > 0 ? a.x / a.n : null },
    b: { ...b, rate: b.n > 0 ? b.x / b.n : null },
    difference: last ? last.difference : null,
    pValue: Math.min(1, pValue),
    ci: [lo, hi],
    likelihoodRatio: last?.likelihoodRatio ?? 1,
    looks: counted,
    alpha,
    tau,
    equivalenceMargin,
    minSamples,
  };
  if (!last || a.n < minSamples || b.n < minSamples) return result;
  if (result.pValue <= alpha) {
    const bHigher = lo > 0 || (hi >= 0 && last.difference > 0);
    const bBetter = options.better === "higher" ? bHigher : !bHigher;
    result.verdict = bBetter ? "B is better" : "A is better";
  } else if (lo >= -equivalenceMargin && hi <= equivalenceMargin) {
    result.verdict = "no difference";
  }
  return result;
}
