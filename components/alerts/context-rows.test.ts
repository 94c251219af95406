import { describe, expect, it } from "vitest";
import { contextRows, formatWindow, labelOf } from "./context-rows";

const rowMap = (rows: ReturnType<typeof contextRows>) => Object.fromEntries(rows.map((r) => [r.path.join(" › "), r.value]));

describe("contextRows", () => {
  it("reads a drift alert's context in words, rounded, with its window on one line", () => {
    // The shape raise-drift-alerts.ts stores.
    const rows = contextRows(
      {
        reportId: "cmx0dlo1o0001",
        version: 1,
        method: "ks",
        stats: { ks: 0.16833333333333333, psi: 0.5486459414190719, ks_pvalue: 0.00037291073684690, jensen_shannon: 0.2209528301, wasserstein_norm: 0.45572961 },
        window: { from: "2026-11-28T11:17:00.000Z", to: "2026-11-28T12:17:00.000Z" },
        reference: { kind: "dataset", rows: 600 },
      },
      "drift",
    );
    expect(rowMap(rows)).toEqual({
      "Drift report": "cmx0dlo1o0001",
      Version: "v1",
      Test: "KS p-value",
      Statistics: "",
      "Statistics › KS statistic": "0.168",
      "Statistics › PSI": "0.549",
      "Statistics › KS p-value": "3.73e-4",
      "Statistics › Jensen–Shannon distance": "0.221",
      "Statistics › Wasserstein distance (normed)": "0.456",
      Window: "2026-11-28 11:17 – 12:17 UTC",
      Reference: "",
      "Reference › Kind": "dataset",
      "Reference › Rows": "600",
    });
    expect(rows.find((r) => r.path.join() === "Statistics,PSI")?.depth).toBe(1);
    // The test first, the report's id last, whatever order the database kept the keys in.
    expect(rows.filter((r) => r.depth === 0).map((r) => r.path[0])).toEqual(["Test", "Version", "Window", "Statistics", "Reference", "Drift report"]);
    expect(rows.find((r) => r.path.join() === "Statistics")?.depth).toBe(0);
  });

  it("writes alert bands in the signal's unit and rates as percentages", () => {
    const errorRate = rowMap(
      contextRows(
        { window: { from: "2026-11-28T11:00:00Z", to: "2026-11-28T11:05:00Z", requests: 1234 }, errors: 40, bands: { warn: 0.02, critical: 0.1 }, versions: { "1": { count: 1000, errors: 40 } } },
        "error_rate",
      ),
    );
    expect(errorRate).toMatchObject({
      Window: "2026-11-28 11:00 – 11:05 UTC",
      "Window › Requests": "1,234",
      Errors: "40",
      "Alert bands › Warn at": "2.00 %",
      "Alert bands › Critical at": "10.0 %",
      "Versions › v1 › Requests": "1,000",
    });
    expect(rowMap(contextRows({ quantile: 0.95, bands: { warn: 250, critical: 1000 } }, "latency"))).toMatchObject({
      Quantile: "0.95",
      "Alert bands › Warn at": "250 ms",
      "Alert bands › Critical at": "1000 ms",
    });
    expect(rowMap(contextRows({ quality: { missingRate: 0.125, outOfRangeRate: 0 } }, "data_quality"))).toMatchObject({
      "Data quality › Missing values": "12.5 %",
      "Data quality › Out of reference range": "0 %",
    });
  });

  it("renders any shape: unknown keys in words, lists, nulls, booleans, dates, arrays of objects", () => {
    const rows = rowMap(
      contextRows({ p95LatencyMs: 12.3456, guard: null, breached: true, tags: ["a", "b"], firedAt: "2026-01-02T03:04:05Z", steps: [{ percent: 5 }, { percent: 25 }] }, "canary"),
    );
    expect(rows).toEqual({
      "P95 latency ms": "12.3",
      "Guard that fired": "—",
      Breached: "yes",
      Tags: "a, b",
      "Fired at": "2026-01-02 03:04:05 UTC",
      Steps: "",
      "Steps › #1": "",
      "Steps › #1 › Percent": "5",
      "Steps › #2": "",
      "Steps › #2 › Percent": "25",
    });
  });

  it("stops nesting deep contexts and shows the rest as JSON", () => {
    const rows = contextRows({ a: { b: { c: { d: { e: { f: 1 } } } } } }, "drift");
    expect(rows[rows.length - 1]).toEqual({ path: ["A", "B", "C", "D", "E"], depth: 4, value: '{"f":1}' });
  });
});

describe("labelOf / formatWindow", () => {
  it("labels", () => {
    expect(labelOf("error_rate")).toBe("Error rate");
    expect(labelOf("candidateVersion")).toBe("Candidate version");
    expect(labelOf("2")).toBe("v2");
  });
  it("writes a window across midnight with both dates", () => {
    expect(formatWindow("2026-11-27T23:30:00Z", "2026-11-28T00:30:00Z")).toBe("2026-11-27 23:30 – 2026-11-28 00:30 UTC");
  });
});
