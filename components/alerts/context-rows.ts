/**
 * An alert's context (what its rule saw when it fired: a drift report's statistics, a metric window, a canary's
 * figures) as rows a person reads: labels in words, numbers rounded, timestamps in UTC, a {from, to} window on one line,
 * nested objects as indented groups. Any shape renders (contexts differ by signal and grow over time); known keys get
 * their names. Pure: the alert page draws what this returns.
 */
import { formatDateTime } from "@/components/ui/format";
import { formatScore } from "@/lib/drift/format-score";
import { formatBucketTime } from "@/lib/metrics/prepare-time-series";
import { methodLabel } from "@/lib/drift/select-method";
import { formatAlertValue } from "./format-alert-value";

export interface ContextRow {
  /** Labels from the top: ["Statistics", "KS p-value"]; the row's own label is the last. */
  path: string[];
  /** Empty for a group's heading row. */
  value: string;
  depth: number;
}

const LABELS: Record<string, string> = {
  reportId: "Drift report",
  version: "Version",
  method: "Test",
  stats: "Statistics",
  ks: "KS statistic",
  ks_pvalue: "KS p-value",
  psi: "PSI",
  jensen_shannon: "Jensen–Shannon distance",
  wasserstein_norm: "Wasserstein distance (normed)",
  chi2: "χ² statistic",
  chi2_pvalue: "χ² p-value",
  z_pvalue: "Z-test p-value",
  linf: "L∞ distance",
  window: "Window",
  reference: "Reference",
  kind: "Kind",
  rows: "Rows",
  quality: "Data quality",
  missingRate: "Missing values",
  outOfRangeRate: "Out of reference range",
  requests: "Requests",
  errors: "Errors",
  count: "Requests",
  bands: "Alert bands",
  warn: "Warn at",
  critical: "Critical at",
  quantile: "Quantile",
  rolloutId: "Rollout",
  guard: "Guard that fired",
  candidateVersion: "Candidate version",
  stableVersion: "Stable version",
  metrics: "Metrics",
  candidate: "Candidate",
  stable: "Stable",
  driftShare: "Drift share",
  shadow: "Shadow",
  agree: "Agreeing answers",
  versions: "Versions",
};

/** camelCase and snake_case keys not in LABELS, in words: "p95Ms" → "P95 ms", "error_rate" → "Error rate". */
export function labelOf(key: string): string {
  if (LABELS[key]) return LABELS[key];
  if (/^\d+$/.test(key)) return `v${key}`;
  const words = key.replace(/_/g, " ").replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().trim();
  return words ? words[0].toUpperCase() + words.slice(1) : key;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const RATE_KEYS = new Set(["missingRate", "outOfRangeRate", "driftShare", "errorRate"]);
const MAX_DEPTH = 4;

function isWindow(v: unknown): v is { from: string; to: string } {
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.from === "string" && typeof o.to === "string" && ISO.test(o.from) && ISO.test(o.to);
}

/** "2026-11-28 11:17 – 12:17 UTC" within one day, both dates otherwise. */
export function formatWindow(from: string, to: string): string {
  const a = formatBucketTime(Date.parse(from)); // "2026-11-28 11:17 UTC"
  const b = formatBucketTime(Date.parse(to));
  return `${a.slice(0, 16)} – ${a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b}`;
}

function formatScalar(key: string, v: unknown, signal: string, parents: string[]): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "number") {
    // Alert bands are in the signal's own unit: a rate for error rates, milliseconds for latency.
    if (parents[parents.length - 1] === "bands") return formatAlertValue(signal, v);
    if (RATE_KEYS.has(key)) return `${Number((v * 100).toPrecision(3))} %`;
    if (key === "version" || key.endsWith("Version")) return `v${v}`;
    return Number.isInteger(v) ? v.toLocaleString("en-US") : formatScore(v);
  }
  if (typeof v === "string") {
    if (key === "method") return methodLabel(v);
    return ISO.test(v) ? formatDateTime(v) : v;
  }
  if (Array.isArray(v)) return v.map((x) => formatScalar(key, x, signal, parents)).join(", ");
  return JSON.stringify(v);
}

const isScalarArray = (v: unknown[]) => v.every((x) => x === null || typeof x !== "object");

/** The rows of an alert's context: known keys in a reading order (FIRST, LAST), the others as stored. */
export function contextRows(context: Record<string, unknown>, signal: string): ContextRow[] {
  const rows: ContextRow[] = [];
  // `keys`: the raw keys above (for units and formats), `labels`: their labels (the rows' paths).
  const walk = (entries: [key: string, label: string, value: unknown][], keys: string[], labels: string[]) => {
    for (const [key, label, v] of entries) {
      if (v === undefined) continue;
      const path = [...labels, label];
      const depth = labels.length;
      const inner = [...keys, key];
      if (isWindow(v)) {
        rows.push({ path, value: formatWindow(v.from, v.to), depth });
        walk(objectEntries(v).filter(([k]) => k !== "from" && k !== "to"), inner, path);
      } else if (Array.isArray(v) && !isScalarArray(v) && depth < MAX_DEPTH) {
        rows.push({ path, value: "", depth });
        walk(v.map((x, i) => [key, `#${i + 1}`, x]), inner, path);
      } else if (v && typeof v === "object" && !Array.isArray(v) && depth < MAX_DEPTH) {
        rows.push({ path, value: "", depth });
        walk(objectEntries(v as Record<string, unknown>), inner, path);
      } else {
        rows.push({ path, value: formatScalar(key, v, signal, keys), depth });
      }
    }
  };
  walk(objectEntries(context), [], []);
  return rows;
}

/**
 * Keys read first, in this order; the others follow in their stored order. (Postgres' jsonb keeps keys shortest
 * first, so the stored order put a drift alert's statistics before the test they belong to.)
 */
const FIRST = ["method", "guard", "version", "candidateVersion", "stableVersion", "window", "quantile", "errors", "stats", "quality", "bands", "metrics", "reference"];
const LAST = ["reportId", "rolloutId"];
const rank = (k: string) => (FIRST.includes(k) ? FIRST.indexOf(k) - FIRST.length : LAST.includes(k) ? 1 + LAST.indexOf(k) : 0);

function objectEntries(o: Record<string, unknown>): [string, string, unknown][] {
  return Object.entries(o)
    .map(([k, v], i) => ({ k, v, i }))
    .sort((a, b) => rank(a.k) - rank(b.k) || a.i - b.i)
    .map(({ k, v }) => [k, labelOf(k), v]);
}
