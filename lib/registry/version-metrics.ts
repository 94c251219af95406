/**
 * A version's training metrics — what its training run measured (AUC, F1, RMSE…), as MLflow's registry shows a run's
 * metrics beside the version: sent with the upload (multipart field `metrics`, `ferry upload --metric auc=0.93`) or
 * later with the version's PATCH, kept as { name: number } on the version, compared between versions on its page.
 * Given as a JSON object of numbers, or as text of `name=value` (or `name: value`) lines. Pure.
 */
import { badRequest } from "@/lib/errors";

export type VersionMetrics = Record<string, number>;

export const MAX_METRICS = 100;
export const MAX_METRIC_NAME = 64;
/** MLflow's metric names: letters, digits, underscores, dashes, periods, spaces and slashes. */
const NAME = /^[\w][\w .\-/]*$/;

const HOW = "send a JSON object of numbers, or lines of name=value (e.g. auc=0.93)";

/** Reads metrics from a multipart field's text or a PATCH's JSON; throws a 400 that says what is wrong. */
export function parseMetrics(input: unknown): VersionMetrics {
  if (typeof input === "string") return parseMetricsText(input);
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw badRequest(`metrics: ${HOW}`);
  return checked(Object.entries(input));
}

function parseMetricsText(text: string): VersionMetrics {
  const body = text.trim();
  if (body.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw badRequest(`metrics start with '{' but are not valid JSON; ${HOW}`);
    }
    return parseMetrics(parsed);
  }
  const entries: [string, unknown][] = [];
  body.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const m = /^\s*([^=:]+?)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (!m) throw badRequest(`line ${i + 1} of the metrics is not name=value: '${line.slice(0, 80)}'`);
    entries.push([m[1], m[2] === "" ? undefined : Number(m[2])]);
  });
  return checked(entries);
}

/** An own property even for a name like `__proto__`. */
function put(metrics: VersionMetrics, name: string, value: number) {
  Object.defineProperty(metrics, name, { value, enumerable: true, writable: true, configurable: true });
}

function checked(entries: [string, unknown][]): VersionMetrics {
  if (entries.length > MAX_METRICS) throw badRequest(`${entries.length} metrics; at most ${MAX_METRICS} are kept`);
  const metrics: VersionMetrics = {};
  for (const [name, value] of entries) {
    const shown = name.slice(0, MAX_METRIC_NAME + 1);
    if (name.length > MAX_METRIC_NAME) throw badRequest(`metric name '${shown}…' is longer than ${MAX_METRIC_NAME} characters`);
    if (!NAME.test(name)) throw badRequest(`metric name '${shown}' may hold only letters, digits, underscores, dashes, periods, spaces and slashes`);
    if (Object.hasOwn(metrics, name)) throw badRequest(`metric '${name}' is given twice`);
    if (typeof value !== "number" || !Number.isFinite(value)) throw badRequest(`metric '${name}' must be a finite number`);
    put(metrics, name, value);
  }
  return metrics;
}

/** Metrics stored on a version row (JSON), by name in alphabetical order (jsonb keeps its own order, not the upload's), or none. */
export function metricsOf(stored: unknown): VersionMetrics | undefined {
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) return undefined;
  const sorted: VersionMetrics = {};
  for (const name of Object.keys(stored).sort()) {
    put(sorted, name, (stored as VersionMetrics)[name]);
  }
  return sorted;
}

/** A metric's value as pages show it: at most six significant digits. */
export function formatMetric(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** "auc 0.931 · f1 0.874", the first `max` metrics (a version list's line). */
export function metricsSummary(metrics: VersionMetrics, max = 3): string {
  const entries = Object.entries(metrics);
  const shown = entries.slice(0, max).map(([k, v]) => `${k} ${formatMetric(v)}`);
  return shown.join(" · ") + (entries.length > max ? ` · +${entries.length - max}` : "");
}

export interface MetricComparison {
  name: string;
  mine?: number;
  theirs?: number;
  /** "+0.014" or "-0.024" (four significant digits); absent when either is missing or both are equal. */
  diff?: string;
}

/** Every metric either version has (this one's first), with this one's value against the other's. */
export function compareMetrics(mine: VersionMetrics, theirs: VersionMetrics = {}): MetricComparison[] {
  const names = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])];
  return names.map((name) => {
    const a = Object.hasOwn(mine, name) ? mine[name] : undefined;
    const b = Object.hasOwn(theirs, name) ? theirs[name] : undefined;
    const d = a === undefined || b === undefined || a === b ? undefined : Number((a - b).toPrecision(4));
    return { name, mine: a, theirs: b, diff: d === undefined ? undefined : d > 0 ? `+${d}` : String(d) };
  });
}
