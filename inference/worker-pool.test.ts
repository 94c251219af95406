import { afterAll, describe, expect, it } from "vitest";
import * as ort from "onnxruntime-node";
import { buildMlp } from "@/lib/onnx/build-model";
import { encodeJsonData } from "@/lib/oip/encode-json-data";
import type { DriftSpec } from "@/lib/drift/drift-spec";
import { createSketchSpec } from "@/lib/drift/sketch";
import { RunError, WorkerCrashedError, WorkerPool } from "./worker-pool";

const pool = new WorkerPool(2);
afterAll(() => pool.close());

const input = (rows: number) => ({ name: "x", datatype: "FP32" as const, shape: [rows, 32], data: Float32Array.from({ length: rows * 32 }, (_, i) => Math.sin(i)) });

describe("WorkerPool", () => {
  it("runs a model in a worker thread with the same answer as onnxruntime in-process", async () => {
    const bytes = buildMlp({ seed: 3 });
    await pool.load("mlp", bytes);
    const x = input(2);
    const direct = await (await ort.InferenceSession.create(bytes)).run({ x: new ort.Tensor("float32", x.data.slice(), [2, 32]) });
    const [out] = await pool.run("mlp", [x]);
    expect(out.name).toBe("probs");
    expect(out.shape).toEqual([2, 4]);
    expect(Array.from(out.data as Float32Array)).toEqual(Array.from(direct.probs.data as Float32Array));
    // Inputs are transferred, not copied.
    expect(x.data.byteLength).toBe(0);
  });

  it("writes the outputs' JSON text with their row ends when the run asks for it, and only then", async () => {
    const [plain] = await pool.run("mlp", [input(3)]);
    expect(plain.json).toBeUndefined();
    const [out] = await pool.run("mlp", [input(3)], { json: true });
    const data = out.data as Float32Array;
    expect(out.json!.text).toBe(encodeJsonData("FP32", data));
    expect([...out.json!.rowEnds!]).toEqual([0, 1, 2].map((r) => encodeJsonData("FP32", data.subarray(0, (r + 1) * 4)).length));
  });

  it("reports run errors without losing the worker", async () => {
    await expect(pool.run("mlp", [{ ...input(1), shape: [1, 16], data: new Float32Array(16) }])).rejects.toBeInstanceOf(RunError);
    expect((await pool.run("mlp", [input(1)]))[0].shape).toEqual([1, 4]);
  });

  it("fails the runs a crashed worker had not finished, restarts it and reloads its models", async () => {
    const single = new WorkerPool(1);
    try {
      await single.load("slow", buildMlp({ hidden: 100_000, seed: 4 }));
      const before = single.run("slow", [input(8)]);
      const killed = single.killWorker(0);
      const after = single.run("slow", [input(8)]);
      await killed;
      await before.catch(() => {});
      await expect(after).rejects.toBeInstanceOf(WorkerCrashedError);
      await single.settled();
      expect((await single.run("slow", [input(1)]))[0].shape).toEqual([1, 4]);
    } finally {
      await single.close();
    }
  }, 30_000);

  it("refuses to load bytes that are not a model, everywhere", async () => {
    await expect(pool.load("junk", new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(RunError);
    await expect(pool.run("junk", [input(1)])).rejects.toThrow(/not loaded/);
  });

  it("sketches the rows a run was told to, in the worker that ran it, after answering with outputs it did not touch", async () => {
    const spec: DriftSpec = {
      features: [{ name: "f0", input: "x", column: 0, spec: createSketchSpec([-1, -0.5, 0, 0.5, 1], "numeric") }],
      outputs: [{ name: "probs", mode: "class", spec: { kind: "categorical", categories: ["0", "1", "2", "3"] } }],
    };
    const asked: string[] = [];
    const sketching = new WorkerPool(2, {
      loadSpec: async (endpointId, version) => {
        asked.push(`${endpointId}@${version}`);
        return endpointId === "e1" ? spec : null;
      },
    });
    try {
      await sketching.load("mlp", buildMlp({ seed: 3 }));
      const [plain] = await sketching.run("mlp", [input(6)]);
      const runs = await Promise.all(
        [0, 1, 2, 3].map(() =>
          sketching.run("mlp", [input(6)], {
            sketch: [
              { endpointId: "e1", version: 1, start: 1, rows: 4 },
              { endpointId: "e2", version: 1, start: 5, rows: 1 },
            ],
          }),
        ),
      );
      for (const [out] of runs) expect(Array.from(out.data as Float32Array)).toEqual(Array.from(plain.data as Float32Array));
      const drained = await sketching.drainSketches(Date.now());
      // Two workers, each with its own rows (the least busy one takes a run, so both ran some).
      expect(drained.map((d) => d.source).sort()).toEqual(["w1", "w2"]);
      expect(drained.map((d) => d.rows.length > 0)).toEqual([true, true]);
      const counts = (feature: string) => drained.flatMap((d) => d.rows.filter((r) => r.feature === feature).map((r) => JSON.parse(r.sketch).count as number));
      expect(counts("input:f0").reduce((a, b) => a + b, 0)).toBe(16);
      expect(counts("output:probs").reduce((a, b) => a + b, 0)).toBe(16);
      expect(drained.flatMap((d) => d.rows).every((r) => r.endpointId === "e1")).toBe(true);
      // Each worker asked once per endpoint; the run without ranges (and the load's) asked nothing.
      expect(asked.filter((a) => a === "e1@1").length).toBeLessThanOrEqual(2);
      expect(asked.filter((a) => a === "e2@1").length).toBeLessThanOrEqual(2);
      expect((await sketching.drainSketches(Date.now())).flatMap((d) => d.rows)).toEqual([]);
    } finally {
      await sketching.close();
    }
  });

  it("shares the drift budget among its workers: each takes one run of a burst that a whole budget would take twice", async () => {
    const spec: DriftSpec = { features: [{ name: "f0", input: "x", column: 0, spec: createSketchSpec([-1, -0.5, 0, 0.5, 1], "numeric") }], outputs: [] };
    // 1,280 values a second for the pool, 640 for each of its 2 workers; a run of 40 rows of 32 inputs is 1,280 values.
    // A worker's first run takes its bucket to 640 − 1,280 = −640 (a second to refill), so its next is skipped; with
    // the whole budget a worker would take two (1,280 → 0, and any time later above zero again) before skipping.
    const budgeted = new WorkerPool(2, { loadSpec: async () => spec, sketchValuesPerSecond: 1_280 });
    try {
      await budgeted.load("mlp", buildMlp({ seed: 3 }));
      await Promise.all([0, 1, 2, 3].map(() => budgeted.run("mlp", [input(40)], { sketch: [{ endpointId: "e1", version: 1, start: 0, rows: 40 }] })));
      const drained = await budgeted.drainSketches(Date.now());
      const sketched = drained.flatMap((d) => d.rows.filter((r) => r.feature === "input:f0").map((r) => JSON.parse(r.sketch).count as number));
      expect(drained.map((d) => d.rows.length > 0)).toEqual([true, true]);
      expect(sketched.reduce((a, b) => a + b, 0)).toBe(80);
      expect(drained.reduce((n, d) => n + d.stats.skippedRows, 0)).toBe(80);
    } finally {
      await budgeted.close();
    }
  });
});
