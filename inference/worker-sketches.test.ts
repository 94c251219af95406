import { describe, expect, it } from "vitest";
import type { DriftSpec } from "@/lib/drift/drift-spec";
import { createSketchSpec } from "@/lib/drift/sketch";
import { createSketchRecorder } from "@/lib/drift/sketch-recorder";
import type { FromWorker } from "./worker-protocol";
import { WorkerSketches, type SketchTensor } from "./worker-sketches";

const MINUTE = Date.UTC(2026, 10, 27, 15, 0);
const reference = Array.from({ length: 400 }, (_, i) => Math.sin(i) * 3);
const spec: DriftSpec = {
  features: [0, 1, 2].map((column) => ({ name: `f${column}`, input: "x", column, spec: createSketchSpec(reference, "numeric", { reservoirSize: 20 }) })),
  outputs: [{ name: "y", mode: "class", spec: { kind: "categorical", categories: ["0", "1"] } }],
};

/** A run's stacked tensors: `rows` rows of 3 inputs and 2 scores. */
function run(rows: number, seed: number): { inputs: SketchTensor[]; outputs: SketchTensor[] } {
  const x = Float32Array.from({ length: rows * 3 }, (_, i) => Math.round(Math.cos(seed * 7 + i) * 400) / 100);
  const y = Float32Array.from({ length: rows * 2 }, (_, i) => ((seed + i) % 3) / 3);
  return { inputs: [{ name: "x", datatype: "FP32", shape: [rows, 3], data: x }], outputs: [{ name: "y", datatype: "FP32", shape: [rows, 2], data: y }] };
}

/** A worker's sketches whose spec requests the "HTTP thread" answers with `load` (as the pool does, asynchronously). */
function sketches(load: (endpointId: string, version: number) => Promise<DriftSpec | null>, options: ConstructorParameters<typeof WorkerSketches>[2] = {}) {
  const asked: string[] = [];
  const s: WorkerSketches = new WorkerSketches(42, (m: FromWorker) => {
    if (m.type !== "spec?") return;
    asked.push(`${m.endpointId}@${m.version}`);
    load(m.endpointId, m.version).then(
      (found) => s.answerSpec({ type: "spec", id: m.id, spec: found }),
      (e: Error) => s.answerSpec({ type: "spec", id: m.id, error: e.message }),
    );
  }, options);
  return { s, asked };
}

describe("WorkerSketches", () => {
  it("sketches each range's rows of a run exactly as a recorder fed those rows would, leaving the run's tensors intact", async () => {
    const { s, asked } = sketches(async () => spec);
    const { inputs, outputs } = run(8, 1);
    const before = [...(inputs[0].data as Float32Array)];
    const at = new Date(MINUTE + 1_000);
    // Rows 0-2 and 6-7 are e1's, 4 is e2's; 3 and 5 were a shadow's (not sketched).
    const ranges = [
      { endpointId: "e1", version: 1, start: 0, rows: 3 },
      { endpointId: "e2", version: 1, start: 4, rows: 1 },
      { endpointId: "e1", version: 1, start: 6, rows: 2 },
    ];
    s.record(ranges, inputs, outputs, at);
    const { rows, stats } = await s.drain(MINUTE + 2_000);

    const local = createSketchRecorder({ loadSpec: () => spec, seed: 42 });
    const rowsOf = (t: SketchTensor, from: number, n: number) => {
      const width = t.shape[1];
      return new Map([[t.name, { ...t, shape: [n, width], data: (t.data as Float32Array).slice(from * width, (from + n) * width) }]]);
    };
    for (const r of ranges) local.record({ endpointId: r.endpointId, version: r.version, at, inputs: rowsOf(inputs[0], r.start, r.rows), outputs: rowsOf(outputs[0], r.start, r.rows) });
    expect(rows).toEqual(local.drain(MINUTE + 2_000));
    expect(JSON.parse(rows.find((r) => r.endpointId === "e1" && r.feature === "input:f0")!.sketch).count).toBe(5);
    expect(JSON.parse(rows.find((r) => r.endpointId === "e2" && r.feature === "output:y")!.sketch).count).toBe(1);
    expect(asked.sort()).toEqual(["e1@1", "e2@1"]);
    expect(stats).toMatchObject({ sketches: 8, dropped: 0, specErrors: 0 });
    expect([...(inputs[0].data as Float32Array)]).toEqual(before);
  });

  it("waits for a spec that is still loading, so a drain right after the first runs includes them", async () => {
    // The flush on shutdown drains once: rows waiting for their version's spec must not be left out.
    const { s, asked } = sketches(() => new Promise((resolve) => setTimeout(() => resolve(spec), 150)));
    const first = run(2, 1);
    const second = run(3, 2);
    s.record([{ endpointId: "e1", version: 1, start: 0, rows: 2 }], first.inputs, first.outputs, new Date(MINUTE));
    s.record([{ endpointId: "e1", version: 1, start: 0, rows: 3 }], second.inputs, second.outputs, new Date(MINUTE));
    const { rows } = await s.drain(MINUTE + 1_000);
    expect(JSON.parse(rows.find((r) => r.feature === "input:f2")!.sketch).count).toBe(5);
    expect(asked).toEqual(["e1@1"]);
  });

  it("counts a spec that cannot be loaded and sketches nothing; a version without a reference is not sketched", async () => {
    const failing = sketches(async () => {
      throw new Error("database unreachable");
    });
    const r = run(2, 1);
    failing.s.record([{ endpointId: "e1", version: 1, start: 0, rows: 2 }], r.inputs, r.outputs, new Date(MINUTE));
    const drained = await failing.s.drain(MINUTE + 1_000);
    expect(drained.rows).toEqual([]);
    expect(drained.stats.specErrors).toBe(1);

    const none = sketches(async () => null);
    none.s.record([{ endpointId: "e1", version: 1, start: 0, rows: 2 }], r.inputs, r.outputs, new Date(MINUTE));
    expect(await none.s.drain(MINUTE + 1_000)).toEqual({ rows: [], stats: { sketches: 0, dropped: 0, late: 0, specErrors: 0, skippedRows: 0 } });
  });

  it("admits ranges within its budget of values (rows × the run's input values per row) and reports the rows it left out", async () => {
    const clock = { now: 0 };
    // 3 input values a row: 30 values a second is 10 rows.
    const { s } = sketches(async () => spec, { valuesPerSecond: 30, now: () => clock.now });
    const r = run(16, 1);
    const ranges = [
      { endpointId: "e1", version: 1, start: 0, rows: 8 },
      { endpointId: "e1", version: 1, start: 8, rows: 4 },
      { endpointId: "e1", version: 1, start: 12, rows: 4 },
    ];
    // 30 − 24 = 6 left after the first; the second takes it to −6; the third finds it spent.
    const admitted = s.admit(ranges, r.inputs);
    expect(admitted).toEqual(ranges.slice(0, 2));
    s.record(admitted, r.inputs, r.outputs, new Date(MINUTE));
    s.skip(ranges, admitted, r.inputs, new Date(MINUTE));
    clock.now = 1_000; // +30 → 24
    const all = [{ endpointId: "e1", version: 1, start: 0, rows: 16 }];
    const taken = s.admit(all, r.inputs);
    expect(taken).toHaveLength(1);
    s.skip(all, taken, r.inputs, new Date(MINUTE)); // nothing left out: nothing counted
    const { rows, stats } = await s.drain(MINUTE + 1_000);
    const sketchOf = (feature: string) => JSON.parse(rows.find((row) => row.feature === feature)!.sketch);
    expect(stats.skippedRows).toBe(4);
    // The rows left out are counted in every input feature's sketch of their minute, not in the outputs'.
    for (const f of ["input:f0", "input:f1", "input:f2"]) expect([sketchOf(f).count, sketchOf(f).skipped], f).toEqual([12, 4]);
    expect(sketchOf("output:y").skipped).toBeUndefined();
  });

  it("counts the rows of a run it left out whole, in a minute it sketched nothing of, per endpoint", async () => {
    const { s } = sketches(async () => spec, { valuesPerSecond: 0 });
    const r = run(6, 2);
    const ranges = [
      { endpointId: "e1", version: 1, start: 0, rows: 2 },
      { endpointId: "e2", version: 3, start: 2, rows: 4 },
    ];
    const taken = s.admit(ranges, r.inputs);
    expect(taken).toEqual([]);
    s.skip(ranges, taken, r.inputs, new Date(MINUTE));
    const { rows } = await s.drain(MINUTE + 1_000);
    const skipped = rows.map((row) => [row.endpointId, row.version, row.feature, JSON.parse(row.sketch).count, JSON.parse(row.sketch).skipped]);
    expect(skipped.sort()).toEqual([
      ["e1", 1, "input:f0", 0, 2], ["e1", 1, "input:f1", 0, 2], ["e1", 1, "input:f2", 0, 2],
      ["e2", 3, "input:f0", 0, 4], ["e2", 3, "input:f1", 0, 4], ["e2", 3, "input:f2", 0, 4],
    ]);
  });
});
