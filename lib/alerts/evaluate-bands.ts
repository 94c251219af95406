/**
 * Warn and critical bands of an alert threshold. Pure: jobs (metrics, drift, data quality) decide a severity with
 * the same rule, so a value exactly on a band edge breaches it everywhere.
 */
export type AlertSeverity = "warn" | "critical";

export interface Bands {
  warn: number;
  critical: number;
  /** "above": higher values are worse (error rate, latency); "below": lower values are worse (e.g. a KS p-value). */
  direction: "above" | "below";
}

/** null when the value is inside the healthy range (or not a number); band edges count as breaches. */
export function severityFor(value: number | null | undefined, bands: Bands): AlertSeverity | null {
  if (value == null || Number.isNaN(value)) return null;
  const worse = (a: number, edge: number) => (bands.direction === "above" ? a >= edge : a <= edge);
  if (worse(value, bands.critical)) return "critical";
  if (worse(value, bands.warn)) return "warn";
  return null;
}

const RANK: Record<AlertSeverity, number> = { warn: 0, critical: 1 };

export function maxSeverity(a: AlertSeverity, b: AlertSeverity): AlertSeverity {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The threshold a severity crossed (what the UI shows as "value vs threshold"). */
export function thresholdFor(severity: AlertSeverity, bands: Bands): number {
  return severity === "critical" ? bands.critical : bands.warn;
}
