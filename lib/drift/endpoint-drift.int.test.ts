import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { runDriftJob } from "@/lib/drift/drift-job";
import { driftGaugeValues } from "@/lib/drift/drift-gauge-values";
import { evaluateEndpointDrift } from "@/lib/drift/evaluate-endpoint-drift";
import { flushSketches } from "@/lib/drift/flush-sketches";
import { loadDriftSpec } from "@/lib/drift/load-drift-spec";
import { queryDriftHistory } from "@/lib/drift/query-drift-history";
import { createSketchRecorder, type SketchRecorder } from "@/lib/drift/sketch-recorder";
import { storeDriftReport } from "@/lib/drift/store-drift-report";
import { summarizeReference } from "@/lib/drift/summarize-reference";
import { methodLabel } from "@/lib/drift/select-method";

const MIN = 60_000;
const NAMES = ["f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7"];
const MEANS = [0, 5, -2, 10, 1, 0, 3, 0];
const SDS = [1, 2, 0.5, 3, 1, 0, 1, 0];
const unique = (p: string) => `${p}-${Date.now().toString(36)}-${crypto.randomBytes(3).toString("hex")}`;

function rng(seed: number) {
  let s = seed;
  const u = () => ((s = (s * 16807) % 2147483647), s / 2147483647);
  return { u, normal: () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()) };
}
const pick = (u: number, probs: number[]) => {
  let acc = 0;
  for (let i = 0; i < probs.length; i++) if (u < (acc += probs[i])) return i;
  return probs.length - 1;
};

/** f5 and f7 are categorical (integers 0..3 / 0..2); the rest normal. `shifted` moves f2's mean and f5's mix. */
function makeRow(r: ReturnType<typeof rng>, shifted: boolean): number[] {
  return NAMES.map((_, i) => {
    if (i === 5) return pick(r.u(), shifted ? [0.1, 0.2, 0.3, 0.4] : [0.4, 0.3, 0.2, 0.1]);
    if (i === 7) return pick(r.u(), [0.5, 0.3, 0.2]);
    return MEANS[i] + SDS[i] * r.normal() + (shifted && i === 2 ? 0.5 * SDS[i] : 0);
  });
}

async function setupEndpoint() {
  const db = await getDb();
  const r = rng(42);
  const reference = summarizeReference(Array.from({ length: 2000 }, () => makeRow(r, false)), NAMES);
  const referenceSummary = { ...reference, columns: NAMES.length, features: reference.features.map((f, i) => ({ ...f, input: "x", index: i })) };
  const model = await db.model.create({ data: { name: unique("drift-model") } });
  await db.modelVersion.create({
    data: {
      modelId: model.id, version: 1, status: "ready", sha256: "0".repeat(64), sizeBytes: 1n, storageKey: "test",
      signature: { inputs: [{ name: "x", datatype: "FP32", shape: [-1, 8] }], outputs: [{ name: "probs", datatype: "FP32", shape: [-1, 2] }] },
      referenceSummary: JSON.parse(JSON.stringify(referenceSummary)) as Prisma.InputJsonValue,
    },
  });
  const endpoint = await db.endpoint.create({
    data: { name: unique("drift-ep"), modelId: model.id, config: { model: model.name, variants: [{ name: "main", version: 1, weight: 100 }] } },
  });
  return { db, endpoint };
}

/** `requests` requests of `batch` rows per minute, starting at `start`; the predicted class is 0 with probability p0. */
function send(rec: SketchRecorder, o: { endpointId: string; start: number; minutes: number; requests: number; batch: number; seed: number; shifted: boolean; p0: number; mutate?: (row: number[], r: ReturnType<typeof rng>) => void }) {
  const r = rng(o.seed);
  for (let m = 0; m < o.minutes; m++) {
    for (let k = 0; k < o.requests; k++) {
      const rows = Array.from({ length: o.batch }, () => {
        const row = makeRow(r, o.shifted);
        o.mutate?.(row, r);
        return row;
      });
      const probs = rows.flatMap(() => (r.u() < o.p0 ? [0.8, 0.2] : [0.3, 0.7]));
      void rec.record({
        endpointId: o.endpointId, version: 1, at: new Date(o.start + m * MIN + k * 1000),
        inputs: new Map([["x", { datatype: "FP32", shape: [o.batch, 8], data: Float32Array.from(rows.flat()) }]]),
        outputs: new Map([["probs", { datatype: "FP32", shape: [o.batch, 2], data: Float32Array.from(probs) }]]),
      });
    }
  }
}

describe("endpoint drift from recorded sketches", () => {
  it("flags exactly the shifted features across minutes and instances, and re-flushing changes nothing", async () => {
    const { db, endpoint } = await setupEndpoint();
    const spec = await loadDriftSpec(db, endpoint.id, 1);
    expect(spec?.features.map((f) => f.name)).toEqual(NAMES);
    const T0 = Date.UTC(2025, 0, 1, 10, 0);
    const a = createSketchRecorder({ loadSpec: () => spec, seed: 1 });
    const b = createSketchRecorder({ loadSpec: () => spec, seed: 2 });
    // The previous window: unshifted inputs, predictions balanced (the baseline of prediction drift).
    send(a, { endpointId: endpoint.id, start: T0 - 5 * MIN, minutes: 5, requests: 10, batch: 20, seed: 1, shifted: false, p0: 0.5 });
    await flushSketches(db, a.drain(T0), "a");
    // The window: two instances, five minutes, 400 rows per instance per minute.
    send(a, { endpointId: endpoint.id, start: T0, minutes: 3, requests: 10, batch: 40, seed: 2, shifted: true, p0: 0.9 });
    const early = a.drain(T0 + 2 * MIN + 30_000); // a mid-window flush of still-open minutes
    await flushSketches(db, early, "a");
    send(a, { endpointId: endpoint.id, start: T0 + 3 * MIN, minutes: 2, requests: 10, batch: 40, seed: 3, shifted: true, p0: 0.9 });
    send(b, { endpointId: endpoint.id, start: T0, minutes: 5, requests: 10, batch: 40, seed: 4, shifted: true, p0: 0.9 });
    const rowsA = a.drain(T0 + 10 * MIN);
    const rowsB = b.drain(T0 + 10 * MIN);
    await flushSketches(db, rowsA, "a");
    await flushSketches(db, rowsB, "b");

    const window = { db, endpointName: endpoint.name, from: new Date(T0), to: new Date(T0 + 5 * MIN) };
    const report = await evaluateEndpointDrift(window);
    expect(report.version).toBe(1);
    expect(report.rows).toBe(4000);
    expect(report.reference).toMatchObject({ kind: "dataset", rows: 2000 });
    expect(report.features.map((f) => f.name)).toEqual(NAMES);
    expect(report.features.filter((f) => f.drifted).map((f) => f.name)).toEqual(["f2", "f5"]);
    const byName = new Map(report.features.map((f) => [f.name, f]));
    expect(byName.get("f2")).toMatchObject({ kind: "numeric", method: "wasserstein_norm", threshold: 0.1 });
    expect(byName.get("f5")).toMatchObject({ kind: "categorical", method: "jensen_shannon" });
    expect(report.datasetDrift).toBe(false);
    expect(report.dataset).toMatchObject({ driftedFeatures: 2, totalFeatures: 8, share: 0.25 });
    expect(report.quality.missingRate).toBe(0);
    // Prediction drift against the previous window: 90 % class 0 now, 50 % before.
    expect(report.predictionReference).toEqual({ from: new Date(T0 - 5 * MIN).toISOString(), to: new Date(T0).toISOString() });
    expect(report.predictions).toHaveLength(1);
    expect(report.predictions[0]).toMatchObject({ name: "output:probs", kind: "categorical", drifted: true });
    expect(report.histograms.find((h) => h.feature === "f2")!.bins.length).toBeGreaterThan(5);

    // Re-flushing everything (and a stale mid-window snapshot) leaves the stored sketches as they were.
    await flushSketches(db, rowsA, "a");
    await flushSketches(db, early, "a");
    await flushSketches(db, rowsB, "b");
    const again = await evaluateEndpointDrift(window);
    expect(again.rows).toBe(4000);
    expect(again.features).toEqual(report.features);

    // Stored, it shows up in the history and the Prometheus gauge values.
    const stored = await storeDriftReport({ db, endpointId: endpoint.id, report, trigger: "manual" });
    const history = await queryDriftHistory({ db, endpointName: endpoint.name, feature: "f2", from: new Date(T0), to: new Date(T0 + 10 * MIN) });
    expect(history.points).toEqual([expect.objectContaining({ reportId: stored.id, method: "wasserstein_norm", threshold: 0.1, drifted: true })]);
    const gauges = (await driftGaugeValues(db)).filter((g) => g.endpoint === endpoint.name);
    expect(gauges.map((g) => g.feature)).toEqual([...NAMES, "output:probs"]);
  });

  it("counts missing and out-of-range inputs, and the job raises drift and data-quality alerts", async () => {
    const { db, endpoint } = await setupEndpoint();
    const spec = await loadDriftSpec(db, endpoint.id, 1);
    const T0 = Date.UTC(2025, 0, 2, 10, 0);
    const rec = createSketchRecorder({ loadSpec: () => spec });
    send(rec, {
      endpointId: endpoint.id, start: T0, minutes: 2, requests: 5, batch: 20, seed: 9, shifted: true, p0: 0.5,
      mutate: (row, r) => {
        if (r.u() < 0.1) row[0] = NaN; // f0: ~10 % missing
        if (r.u() < 0.3) row[3] = 1e6; // f3: ~30 % above the reference range
      },
    });
    await flushSketches(db, rec.drain(T0 + 10 * MIN), "q");
    const report = await evaluateEndpointDrift({ db, endpointName: endpoint.name, from: new Date(T0), to: new Date(T0 + 2 * MIN) });
    const f0 = report.features.find((f) => f.name === "f0")!;
    const f3 = report.features.find((f) => f.name === "f3")!;
    expect(report.rows).toBe(200);
    expect(f0.quality.missing).toBeGreaterThan(5);
    expect(f0.quality.missingRate).toBeCloseTo(f0.quality.missing / 200, 12);
    expect(f3.quality.outOfRangeRate).toBeGreaterThan(0.2);
    expect(report.quality.missing).toBe(f0.quality.missing);

    const result = await runDriftJob({ db, now: new Date(T0 + 2 * MIN + 30_000) });
    expect(result.evaluated).toContain(endpoint.name);
    const alerts = await db.alert.findMany({ where: { endpointId: endpoint.id, status: "open" }, orderBy: [{ signal: "asc" }, { feature: "asc" }] });
    const key = (a: { signal: string; feature: string; severity: string }) => `${a.signal}:${a.feature}:${a.severity}`;
    expect(alerts.filter((a) => a.signal === "data_quality").map(key)).toEqual(["data_quality:f0:warn", "data_quality:f3:critical"]);
    expect(alerts.filter((a) => a.signal === "drift").map((a) => a.feature)).toEqual(expect.arrayContaining(["f2", "f5"]));
    // Messages a person reads: the test's name, times as "YYYY-MM-DD HH:MM UTC", not ISO stamps.
    for (const a of alerts) {
      expect(a.message).toMatch(/ rows of v\d+, \d{4}-\d\d-\d\d \d\d:\d\d UTC – \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
      expect(a.message).not.toMatch(/T\d\d:\d\d:\d\d/);
    }
    const drift = alerts.find((a) => a.signal === "drift")!;
    expect(drift.message.startsWith(`${methodLabel((drift.context as { method: string }).method)} `)).toBe(true);
    const stored = await db.driftReport.findFirst({ where: { endpointId: endpoint.id, trigger: "schedule" } });
    expect(stored?.windowTo.getTime()).toBe(T0 + 2 * MIN);
    // Not due again one minute later.
    const next = await runDriftJob({ db, now: new Date(T0 + 3 * MIN + 30_000) });
    expect(next.evaluated).not.toContain(endpoint.name);
  });
});
