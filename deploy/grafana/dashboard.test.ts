// The Grafana dashboard is JSON nobody type-checks: this test ties its PromQL to the metrics the code registers,
// read as text, so renaming a metric or a label in inference/ or lib/ fails here instead of blanking a panel.
import fs from "node:fs";
import path from "node:path";
import { describe, it, expect } from "vitest";
import { DEFAULT_THRESHOLDS, isPValueMethod } from "@/lib/drift/select-method";
import type { DriftMethod } from "@/lib/drift/types";

const root = path.resolve(__dirname, "../..");
const SOURCES = [
  "inference/recorder.ts", // data plane: prom-client registry
  "lib/alerts/render-open-alert-metrics.ts", // control plane: ferry_open_alerts
  "lib/drift/drift-gauge-values.ts", // control plane: ferry_drift_score / ferry_drift_drifted (hand-written text)
];
const HISTOGRAM_SUFFIXES = ["_bucket", "_sum", "_count"];
// PromQL words that look like labels inside `by (…)` but are not.
const PSEUDO_LABELS = new Set(["le", "instance", "job"]);

type Panel = { id: number; type: string; title: string; datasource?: { uid?: string }; targets?: { expr: string; datasource?: { uid?: string } }[]; panels?: Panel[]; fieldConfig?: { defaults?: { thresholds?: { steps: { value: number | null }[] } } } };
type Dashboard = { schemaVersion: number; panels: Panel[]; templating: { list: { name: string; type: string; query: unknown; definition?: string }[] } };

const dashboard = JSON.parse(fs.readFileSync(path.join(__dirname, "ferry-dashboard.json"), "utf8")) as Dashboard;
const sourceText = SOURCES.map((f) => fs.readFileSync(path.join(root, f), "utf8")).join("\n");

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

/** Metric name → label names, as registered: prom-client `new X({ name, labelNames })` or hand-written exposition text. */
function registeredMetrics(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (name: string, labels: string[]) => {
    const set = out.get(name) ?? new Set<string>();
    labels.forEach((l) => set.add(l));
    out.set(name, set);
  };
  for (const m of text.matchAll(/name:\s*"(ferry_[a-z0-9_]+)"([^}]*)\}/g)) {
    const labels = /labelNames:\s*\[([^\]]*)\]/.exec(m[2])?.[1] ?? "";
    add(m[1], [...labels.matchAll(/"([a-zA-Z_][a-zA-Z0-9_]*)"/g)].map((l) => l[1]));
  }
  // Template literals build the exposition text: drop `${…}` so their braces do not end a label set early.
  const literal = text.replace(/\$\{[^{}]*\}/g, "v");
  for (const m of literal.matchAll(/(ferry_[a-z0-9_]+)\{([^}]*)\}/g)) add(m[1], [...m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)=/g)].map((l) => l[1]));
  for (const m of text.matchAll(/# TYPE (ferry_[a-z0-9_]+) /g)) add(m[1], []);
  return out;
}

/** Base metric name (histogram series suffix stripped when the base is registered) — or the name itself. */
function baseName(series: string, known: Map<string, Set<string>>): string {
  if (known.has(series)) return series;
  const suffix = HISTOGRAM_SUFFIXES.find((s) => series.endsWith(s) && known.has(series.slice(0, -s.length)));
  return suffix ? series.slice(0, -suffix.length) : series;
}

/** Every problem with the metric names and selector labels used in `exprs`, against `known`. */
function checkExpressions(exprs: string[], known: Map<string, Set<string>>): string[] {
  const problems: string[] = [];
  for (const expr of exprs) {
    for (const m of expr.matchAll(/\b(ferry_[a-z0-9_]+)(\{([^}]*)\})?/g)) {
      const name = baseName(m[1], known);
      const labels = known.get(name);
      if (!labels) {
        problems.push(`${m[1]} is not registered (in: ${expr})`);
        continue;
      }
      for (const l of (m[3] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)) {
        if (!labels.has(l[1])) problems.push(`${name} has no label ${l[1]} (in: ${expr})`);
      }
    }
    // Grouping labels must exist on at least one metric of the expression.
    const metricsHere = [...expr.matchAll(/\b(ferry_[a-z0-9_]+)/g)].map((m) => known.get(baseName(m[1], known)) ?? new Set<string>());
    for (const g of expr.matchAll(/\bby\s*\(([^)]*)\)/g)) {
      for (const l of g[1].split(",").map((s) => s.trim()).filter(Boolean)) {
        if (!PSEUDO_LABELS.has(l) && !metricsHere.some((s) => s.has(l))) problems.push(`no metric in the expression has label ${l} (in: ${expr})`);
      }
    }
  }
  return problems;
}

const panels = allPanels(dashboard.panels);
const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
const variableQueries = dashboard.templating.list.filter((v) => v.type === "query").map((v) => v.definition ?? String(v.query));
const known = registeredMetrics(sourceText);

describe("deploy/grafana/ferry-dashboard.json", () => {
  it("is a current Grafana dashboard on a ${DS_PROMETHEUS} datasource variable with endpoint and version variables", () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    const vars = new Map(dashboard.templating.list.map((v) => [v.name, v]));
    expect(vars.get("DS_PROMETHEUS")).toMatchObject({ type: "datasource", query: "prometheus" });
    expect(vars.get("endpoint")?.definition).toMatch(/^label_values\(ferry_[a-z_]+, endpoint\)$/);
    expect(vars.get("version")?.definition).toMatch(/^label_values\(ferry_[a-z_]+\{.*\}, version\)$/);
    for (const p of panels.filter((x) => x.type !== "row")) {
      expect(p.datasource?.uid, p.title).toBe("${DS_PROMETHEUS}");
      for (const t of p.targets ?? []) expect(t.datasource?.uid, p.title).toBe("${DS_PROMETHEUS}");
    }
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("found the registrations it checks against (so an empty source cannot pass)", () => {
    expect(known.get("ferry_requests_total")).toEqual(new Set(["endpoint", "version", "code"]));
    expect(known.get("ferry_open_alerts")).toEqual(new Set(["endpoint", "severity"]));
    expect(known.get("ferry_drift_score")).toEqual(new Set(["endpoint", "feature", "method"]));
  });

  it("uses only metric names and labels the code registers", () => {
    expect(exprs.length).toBeGreaterThan(10);
    expect(checkExpressions([...exprs, ...variableQueries], known)).toEqual([]);
  });

  it("has the panels operators look for", () => {
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b(ferry_[a-z0-9_]+)/g)].map((m) => baseName(m[1], known))));
    for (const name of ["ferry_requests_total", "ferry_request_duration_seconds", "ferry_queue_duration_seconds", "ferry_batch_size",
      "ferry_queue_depth", "ferry_loaded_versions", "ferry_open_alerts", "ferry_drift_score", "ferry_drift_drifted", "ferry_prediction_log_dropped_total"]) {
      expect(used, name).toContain(name);
    }
    const quantiles = exprs.filter((e) => e.includes("histogram_quantile"));
    for (const q of ["0.5", "0.95", "0.99"]) expect(quantiles.some((e) => e.startsWith(`histogram_quantile(${q}, `) && e.includes("ferry_request_duration_seconds_bucket"))).toBe(true);
    for (const e of quantiles) expect(e).toMatch(/by \([^)]*\ble\b[^)]*\) \(rate\(ferry_[a-z_]+_bucket\{/);
  });

  it("draws the drift threshold lines at the code's default thresholds", () => {
    const methods = Object.keys(DEFAULT_THRESHOLDS) as DriftMethod[];
    const distance = new Set(methods.filter((m) => !isPValueMethod(m)).map((m) => DEFAULT_THRESHOLDS[m]));
    const pValue = new Set(methods.filter(isPValueMethod).map((m) => DEFAULT_THRESHOLDS[m]));
    // One line per panel only makes sense while every method of a kind shares its default.
    expect(distance.size).toBe(1);
    expect(pValue.size).toBe(1);
    const line = (title: string) => panels.find((p) => p.title.startsWith(title))?.fieldConfig?.defaults?.thresholds?.steps.map((s) => s.value).filter((v) => v !== null);
    expect(line("Drift score per feature")).toEqual([...distance]);
    expect(line("Drift p-value per feature")).toEqual([...pValue]);
    // The p-value panel's method filter must list exactly the p-value methods.
    const pExpr = panels.find((p) => p.title.startsWith("Drift p-value"))?.targets?.[0].expr ?? "";
    expect(/method=~"([^"]*)"/.exec(pExpr)?.[1].split("|").sort()).toEqual(methods.filter(isPValueMethod).sort());
  });

  it("the checker catches a renamed metric and a wrong label", () => {
    expect(checkExpressions(["rate(ferry_request_total[5m])"], known)).toHaveLength(1);
    expect(checkExpressions(['ferry_queue_depth{endpoint="x"}'], known)).toHaveLength(1);
    expect(checkExpressions(["sum by (feature) (ferry_requests_total)"], known)).toHaveLength(1);
    expect(checkExpressions(["histogram_quantile(0.9, sum by (le) (rate(ferry_batch_size_bucket[1m])))"], known)).toEqual([]);
  });
});
