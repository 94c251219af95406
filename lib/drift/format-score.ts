/**
 * How a drift statistic or p-value reads everywhere it is shown (the drift page, alert messages, the alert list):
 * three significant digits, and an exponent for the tiny p-values a drifted feature has ("1.29e-6" rather than
 * "0.00000129") and for huge scores. Pure.
 */
export function formatScore(x: number | null | undefined): string {
  if (x == null || Number.isNaN(x)) return "—";
  if (x === 0) return "0";
  if (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}
