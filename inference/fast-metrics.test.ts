import { describe, expect, it } from "vitest";
import fc from "fast-check";
import client from "prom-client";
import { FastCounter, FastHistogram } from "./fast-metrics";

const BUCKETS = [0.001, 0.005, 0.01, 0.1, 1, 10];
const label = fc.constantFrom("a", "b", "ep-1", 'quo"te', "back\\slash", "new\nline");
const observation = fc.record({
  endpoint: label,
  version: fc.constantFrom("1", "2", "10"),
  code: fc.constantFrom("200", "400", "503"),
  // Values on the bounds, between them, above the last and zero: prom-client puts a value equal to a bound in it.
  value: fc.oneof(fc.constantFrom(...BUCKETS, 0, 11, 1e6), fc.double({ min: 0, max: 20, noNaN: true })),
});

/** The same observations through prom-client's own metrics and through ours, each in a registry of its own. */
async function bothTexts(observations: { endpoint: string; version: string; code: string; value: number }[]) {
  const theirs = new client.Registry();
  const ours = new client.Registry();
  const help = { h: "Latency", c: "Requests" };
  const h1 = new client.Histogram({ name: "x_seconds", help: help.h, labelNames: ["endpoint", "version"], buckets: BUCKETS, registers: [theirs] });
  const c1 = new client.Counter({ name: "x_total", help: help.c, labelNames: ["endpoint", "version", "code"], registers: [theirs] });
  const h2 = new FastHistogram({ name: "x_seconds", help: help.h, labelNames: ["endpoint", "version"], buckets: BUCKETS, registry: ours });
  const c2 = new FastCounter({ name: "x_total", help: help.c, labelNames: ["endpoint", "version", "code"], registry: ours });
  for (const o of observations) {
    h1.labels({ endpoint: o.endpoint, version: o.version }).observe(o.value);
    c1.labels({ endpoint: o.endpoint, version: o.version, code: o.code }).inc();
    // Half through a held child, half through the metric: both paths must count.
    if (o.value > 1) h2.observe({ endpoint: o.endpoint, version: o.version }, o.value);
    else h2.labels({ endpoint: o.endpoint, version: o.version }).observe(o.value);
    c2.labels({ endpoint: o.endpoint, version: o.version, code: o.code }).inc();
  }
  return { theirs, ours };
}

describe("fast metrics", () => {
  it("write the text prom-client's Histogram and Counter write for the same observations", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(observation, { maxLength: 60 }), async (observations) => {
        const { theirs, ours } = await bothTexts(observations);
        expect(await ours.metrics()).toBe(await theirs.metrics());
        // Exemplars (prom-client's `exemplar: null` on each bucket) are not supported here.
        const noExemplars = (metrics: client.MetricObjectWithValues<client.MetricValue<string>>[]) =>
          metrics.map((m) => ({ ...m, values: m.values.map((v) => ({ ...v, exemplar: undefined })) }));
        expect(noExemplars(await ours.getMetricsAsJSON())).toEqual(noExemplars(await theirs.getMetricsAsJSON()));
      }),
      { numRuns: 150 },
    );
  });

  it("forget everything on reset, and ignore values that are not finite", async () => {
    const { theirs, ours } = await bothTexts([{ endpoint: "a", version: "1", code: "200", value: 0.2 }]);
    const h = (ours.getSingleMetric("x_seconds") as unknown as FastHistogram).labels({ endpoint: "a", version: "1" });
    h.observe(NaN);
    h.observe(Infinity);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    ours.resetMetrics();
    theirs.resetMetrics();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});
