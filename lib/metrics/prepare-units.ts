/**
 * Units and exact value formatting of the monitoring charts (axis ticks are short, tooltips exact). Pure.
 */

export type MetricUnit = "ms" | "µs" | "req/s" | "%" | "count";

/** Latency charts switch to microseconds when everything is below a millisecond (small models answer in µs). */
export function chooseLatencyUnit(valuesMs: Iterable<number | null>): "ms" | "µs" {
  let max = 0;
  let any = false;
  for (const v of valuesMs) {
    if (v == null) continue;
    any = true;
    if (v > max) max = v;
  }
  return any && max < 1 ? "µs" : "ms";
}

/** Converts a value in the metric's base unit (ms for latency, 0..1 for rates) to the display unit. */
export function toDisplayUnit(value: number, unit: MetricUnit): number {
  if (unit === "µs") return value * 1000;
  if (unit === "%") return value * 100;
  return value;
}

function trim(n: number, digits: number): string {
  const s = n.toFixed(digits);
  return digits > 0 ? s.replace(/\.?0+$/, "") : s;
}

/** Tick labels: compact (1.2k req/s, 12 ms, 0.5 %). `value` is already in the display unit. */
export function formatTick(value: number, unit: MetricUnit): string {
  const a = Math.abs(value);
  let s: string;
  if (a >= 1_000_000) s = `${trim(value / 1_000_000, 1)}M`;
  else if (a >= 1000) s = `${trim(value / 1000, 1)}k`;
  else if (a >= 10 || a === 0) s = trim(value, 0);
  else if (a >= 1) s = trim(value, 1);
  else s = trim(value, 2);
  return unit === "count" ? s : unit === "%" ? `${s}%` : `${s} ${unit}`;
}

/**
 * Tooltip values: exact enough to compare variants (3 significant decimals for rates and latencies, whole numbers
 * for counts, thousands separated). A gap (null) reads "no data", never 0.
 */
export function formatExact(value: number | null | undefined, unit: MetricUnit): string {
  if (value == null || Number.isNaN(value)) return "no data";
  const group = (n: number, digits: number) =>
    n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  switch (unit) {
    case "count":
      return group(Math.round(value), 0);
    case "%":
      return `${group(value, value !== 0 && Math.abs(value) < 0.1 ? 3 : 2)} %`;
    case "req/s":
      return `${group(value, Math.abs(value) >= 100 ? 1 : 3)} req/s`;
    case "ms":
      return `${group(value, Math.abs(value) >= 100 ? 1 : 3)} ms`;
    case "µs":
      return `${group(value, Math.abs(value) >= 100 ? 0 : 1)} µs`;
  }
}

/** A latency in milliseconds for stat cards: µs below 1 ms, one decimal below 100 ms. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms == null || Number.isNaN(ms)) return "—";
  if (ms < 1) return `${trim(ms * 1000, 0)} µs`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms).toLocaleString("en-US")} ms`;
}

export function formatRate(rps: number | null | undefined): string {
  if (rps == null || Number.isNaN(rps)) return "—";
  if (rps === 0) return "0 req/s";
  if (rps < 0.1) return `${(rps * 60).toFixed(1)} req/min`;
  return `${rps < 10 ? rps.toFixed(2) : rps < 100 ? rps.toFixed(1) : Math.round(rps).toLocaleString("en-US")} req/s`;
}

export function formatErrorRate(rate: number | null | undefined): string {
  if (rate == null || Number.isNaN(rate)) return "—";
  const pct = rate * 100;
  if (pct === 0) return "0 %";
  if (pct < 0.1) return `${pct.toFixed(3)} %`;
  return `${pct.toFixed(pct < 10 ? 2 : 1)} %`;
}

export function formatCount(n: number | null | undefined): string {
  if (n == null) return "—";
  return Math.round(n).toLocaleString("en-US");
}
