/**
 * The recorder flushes the session workers' drift sketches: each worker's rows under an instance id of its own, and a
 * flush that fails keeps them for the next one. The database outage is real (a TCP proxy this test cuts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import type { DriftSpec } from "@/lib/drift/drift-spec";
import { createSketchSpec } from "@/lib/drift/sketch";
import { buildMlp } from "@/lib/onnx/build-model";
import { cuttableDatabase, quietLogger, unique } from "./data-plane-test-kit";
import { Recorder } from "./recorder";
import { WorkerPool } from "./worker-pool";

const url = process.env.DATABASE_URL;
const spec: DriftSpec = {
  features: [{ name: "f0", input: "x", column: 0, spec: createSketchSpec([-1, -0.5, 0, 0.5, 1], "numeric") }],
  outputs: [{ name: "probs", mode: "class", spec: { kind: "categorical", categories: ["0", "1", "2", "3"] } }],
};
const input = (rows: number) => ({ name: "x", datatype: "FP32" as const, shape: [rows, 32], data: Float32Array.from({ length: rows * 32 }, (_, i) => Math.sin(i)) });

describe.skipIf(!url)("Recorder with the session workers' drift sketches", () => {
  let database: Awaited<ReturnType<typeof cuttableDatabase>>;
  const instanceId = unique("recorder");
  const endpointId = unique("sketched-endpoint");
  let workers: WorkerPool;
  let recorder: Recorder;

  beforeAll(async () => {
    database = await cuttableDatabase(url!);
    workers = new WorkerPool(2, { loadSpec: async () => spec });
    await workers.load("mlp", buildMlp({ seed: 3 }));
    recorder = new Recorder({ db: database.db, instanceId, log: quietLogger, logSampleRate: 0, sketches: workers });
  }, 60_000);

  afterAll(async () => {
    await workers?.close();
    await database?.close();
  });

  it("writes each worker's rows under its own instance id, and keeps them through a flush that failed", async () => {
    // Two runs at once: one on each worker (the least busy takes a run).
    await Promise.all([5, 3].map((rows) => workers.run("mlp", [input(rows)], { sketch: [{ endpointId, version: 1, start: 0, rows }] })));
    database.cut();
    await recorder.flush();
    database.restore();
    const real = await getDb();
    expect(await real.driftSketch.count({ where: { endpointId } })).toBe(0);

    // Nothing new was sketched since: only what the failed flush held can be written now.
    await recorder.flush();
    const rows = await real.driftSketch.findMany({ where: { endpointId }, orderBy: [{ instanceId: "asc" }, { feature: "asc" }] });
    expect(rows.map((r) => [r.instanceId, r.feature, (r.sketch as { count: number }).count])).toEqual([
      [`${instanceId}/w1`, "input:f0", 5],
      [`${instanceId}/w1`, "output:probs", 5],
      [`${instanceId}/w2`, "input:f0", 3],
      [`${instanceId}/w2`, "output:probs", 3],
    ]);
  }, 60_000);

  it("holds sketches, not snapshots, through a long outage: new snapshots replace held ones, ended minutes are kept", async () => {
    // Room for 8 held sketches: E1's 2 features and E2's 2, on each of 2 workers. Each failed flush brings E2's new
    // snapshots; had they been kept beside the old ones, they would have crowded E1's only snapshots out.
    const held = new Recorder({ db: database.db, instanceId: unique("holding"), log: quietLogger, logSampleRate: 0, sketches: workers, maxHeldSketches: 8 });
    const [e1, e2] = [unique("e1"), unique("e2")];
    const runBoth = (endpointId: string, sizes: number[]) =>
      Promise.all(sizes.map((rows) => workers.run("mlp", [input(rows)], { sketch: [{ endpointId, version: 1, start: 0, rows }] })));
    await held.flush(); // whatever an earlier test left in the workers
    database.cut();
    await runBoth(e1, [5, 3]);
    await held.flush();
    for (let i = 0; i < 3; i++) {
      await runBoth(e2, [4, 2]);
      await held.flush();
    }
    database.restore();
    await held.flush();
    const real = await getDb();
    const total = async (endpointId: string, feature: string) =>
      (await real.driftSketch.findMany({ where: { endpointId, feature } })).reduce((n, r) => n + (r.sketch as { count: number }).count, 0);
    expect(await total(e1, "input:f0")).toBe(8);
    expect(await total(e1, "output:probs")).toBe(8);
    expect(await total(e2, "input:f0")).toBe(18);
    expect(await total(e2, "output:probs")).toBe(18);
  }, 60_000);
});
