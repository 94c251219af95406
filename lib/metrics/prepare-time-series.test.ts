import { describe, expect, it } from "vitest";
import type { EndpointMetrics, MetricPoint } from "./query-endpoint-metrics";
import { formatAxisTime, prepareSparkline, prepareTimeSeries, timeAxis, versionColor } from "./prepare-time-series";

const T0 = Date.parse("2024-05-01T10:00:00Z");
const M = 60_000;

function point(t: number, p: Partial<MetricPoint>): MetricPoint {
  return { t, requests: 0, rps: 0, errors: 0, errorRate: 0, p50: null, p95: null, p99: null, meanMs: null, ...p };
}

function metrics(variants: EndpointMetrics["variants"]): EndpointMetrics {
  const totals = { requests: 0, rps: 0, errors: 0, errorRate: null, p50: null, p95: null, p99: null, meanMs: null };
  return { endpoint: "e", from: new Date(T0).toISOString(), to: new Date(T0 + 5 * M).toISOString(), step: 60, totals, variants };
}

const v1 = { version: 1, label: "v1", totals: metrics([]).totals, points: [point(T0, { rps: 2, errorRate: 0.5, p95: 12 }), point(T0 + 3 * M, { rps: 0, errorRate: 0, p95: 8 })] };
const v2 = { version: 2, label: "v2", totals: metrics([]).totals, points: [point(T0 + M, { rps: 1, errorRate: null, p50: 0.2, p95: 0.4, p99: 0.9 })] };

describe("prepareTimeSeries", () => {
  it("fills the time axis so a missing minute is a gap (null), while a real zero stays 0", () => {
    const c = prepareTimeSeries({ metrics: metrics([v1, v2]), metric: "throughput" });
    expect(c.rows.map((r) => r.t)).toEqual([0, 1, 2, 3, 4].map((i) => T0 + i * M));
    expect(c.rows.map((r) => r.v1)).toEqual([2, null, null, 0, null]);
    expect(c.rows.map((r) => r.v2)).toEqual([null, 1, null, null, null]);
    expect(c.unit).toBe("req/s");
    expect(c.series.map((s) => [s.key, s.color])).toEqual([["v1", versionColor(1)], ["v2", versionColor(2)]]);
    expect(c.hasData).toBe(true);
  });

  it("shows error rates in percent and keeps a no-request bucket a gap", () => {
    const c = prepareTimeSeries({ metrics: metrics([v1, v2]), metric: "errorRate" });
    expect(c.unit).toBe("%");
    expect(c.rows.map((r) => r.v1)).toEqual([50, null, null, 0, null]);
    expect(c.rows[1].v2).toBeNull();
  });

  it("draws one line per variant per percentile, in µs when all latencies are sub-millisecond", () => {
    const c = prepareTimeSeries({ metrics: metrics([v2]), metric: "latency", percentiles: ["p50", "p99"] });
    expect(c.unit).toBe("µs");
    expect(c.series.map((s) => s.key)).toEqual(["v2_p50", "v2_p99"]);
    expect(c.series[0].dash).toBeDefined();
    expect(c.rows[1].v2_p50).toBeCloseTo(200, 9);
    expect(c.rows[1].v2_p99).toBeCloseTo(900, 9);
    const ms = prepareTimeSeries({ metrics: metrics([v1, v2]), metric: "latency", percentiles: ["p95"] });
    expect(ms.unit).toBe("ms");
    expect(ms.series.map((s) => s.key)).toEqual(["v1", "v2"]);
    expect(ms.rows.map((r) => r.v1)).toEqual([12, null, null, 8, null]);
  });

  it("reports no data for an empty window", () => {
    const c = prepareTimeSeries({ metrics: metrics([]), metric: "throughput" });
    expect(c.hasData).toBe(false);
    expect(c.rows).toHaveLength(5);
  });

  it("keeps a version's colour whatever else is shown", () => {
    expect(versionColor(3)).toBe(prepareTimeSeries({ metrics: metrics([{ ...v1, version: 3, label: "v3" }]), metric: "throughput" }).series[0].color);
    expect(versionColor(1)).not.toBe(versionColor(2));
    expect(versionColor(11)).toBe(versionColor(1));
  });
});

describe("time axis helpers", () => {
  it("covers the bucket holding `to` and fills sparklines with gaps", () => {
    expect(timeAxis(T0 + 30_000, T0 + 2 * M + 1, 60)).toEqual([T0, T0 + M, T0 + 2 * M]);
    const s = prepareSparkline([{ t: T0, v: 3 }, { t: T0 + 2 * M, v: 5 }], (p) => p.v, { from: T0, to: T0 + 3 * M, step: 60 });
    expect(s.map((p) => p.value)).toEqual([3, null, 5]);
  });

  it("labels ticks by time of day for short ranges and by date for long ones (UTC)", () => {
    expect(formatAxisTime(T0, 3600_000)).toBe("10:00");
    expect(formatAxisTime(T0, 7 * 86_400_000)).toBe("05-01 10:00");
    expect(formatAxisTime(T0, 30 * 86_400_000)).toBe("05-01");
  });
});
