import { afterEach, describe, expect, it } from "vitest";
import pino from "pino";
import type { DriftSpec } from "@/lib/drift/drift-spec";
import { createSketchSpec } from "@/lib/drift/sketch";
import { createSketchRecorder } from "@/lib/drift/sketch-recorder";
import type { OipTensor } from "@/lib/oip/oip-tensor";
import { createDriftSketcher, DriftThread, groupForSketching, InProcessDrift, type DriftSketcher, type DriftThreadOptions, type QueuedSketch } from "./drift-thread";

const MINUTE = Date.UTC(2026, 10, 27, 15, 0);
const log = pino({ level: "silent" });
const reference = Array.from({ length: 400 }, (_, i) => Math.sin(i) * 3);
const spec: DriftSpec = {
  features: [0, 1, 2].map((column) => ({ name: `f${column}`, input: "x", column, spec: createSketchSpec(reference, "numeric", { reservoirSize: 20 }) })),
  outputs: [{ name: "y", mode: "class", spec: { kind: "categorical", categories: ["0", "1"] } }],
};

function request(rows: number, seed: number, view = false, version = 1): QueuedSketch {
  const values = Array.from({ length: rows * 3 }, (_, i) => Math.round(Math.cos(seed * 7 + i) * 400) / 100);
  // A view into a larger buffer, as a binary request's tensor is (into the body it arrived in).
  const data = view ? new Float32Array(rows * 3 + 16).subarray(8, 8 + rows * 3) : new Float32Array(rows * 3);
  data.set(values);
  const scores = new Float32Array(Array.from({ length: rows * 2 }, (_, i) => ((seed + i) % 3) / 3));
  const x: OipTensor = { datatype: "FP32", shape: [rows, 3], data };
  const y: OipTensor = { datatype: "FP32", shape: [rows, 2], data: scores };
  return { endpointId: "e1", version, at: new Date(MINUTE + seed * 100), inputs: new Map([["x", x]]), outputs: new Map([["y", y]]) };
}

const threads: DriftSketcher[] = [];
function thread(options: Partial<DriftThreadOptions> = {}, kind: "thread" | "in-process" = "thread"): DriftSketcher {
  const opts = { loadSpec: async () => spec, seed: 42, log, ...options };
  const t = kind === "thread" ? new DriftThread(opts) : new InProcessDrift(opts);
  threads.push(t);
  return t;
}
afterEach(async () => {
  await Promise.all(threads.splice(0).map((t) => t.close()));
});

describe.each(["thread", "in-process"] as const)("drift sketcher (%s)", (kind) => {
  it("sketches exactly what a recorder fed the stacked records would, leaving the requests' tensors intact", async () => {
    // Version 2's request stands alone between two stacks of version 1's: its tensors are posted as copies.
    const queue = [request(1, 1), request(1, 2), request(2, 9, false, 2), request(4, 3, true), request(2, 4), request(1, 5, true)];
    const before = queue.map((r) => [...(r.inputs.get("x")!.data as Float32Array)]);
    const drift = thread({ postEveryMs: 1 }, kind);
    for (const r of queue) drift.record(r);
    const rows = await drift.drain(MINUTE + 1_000);

    const local = createSketchRecorder({ loadSpec: () => spec, seed: 42 });
    for (const r of groupForSketching(queue)) local.record(r);
    const expected = local.drain(MINUTE + 1_000);
    expect(rows.map((r) => `${r.version} ${r.feature}`).sort()).toEqual(
      [1, 2].flatMap((v) => ["input:f0", "input:f1", "input:f2", "output:y"].map((f) => `${v} ${f}`)),
    );
    expect(rows).toEqual(expected);
    expect(JSON.parse(rows.find((r) => r.version === 1 && r.feature === "input:f0")!.sketch).count).toBe(9);
    expect(JSON.parse(rows.find((r) => r.version === 2 && r.feature === "input:f2")!.sketch).count).toBe(2);
    // Nothing the request still owns was detached or changed by posting it (shadow traffic may read it later).
    expect(queue.map((r) => [...(r.inputs.get("x")!.data as Float32Array)])).toEqual(before);
    expect(drift.stats()).toMatchObject({ sketches: 8, dropped: 0, specErrors: 0 });
  });

  it("asks for specs where the database is; a loader that fails is counted and nothing is sketched", async () => {
    let asked = 0;
    const drift = thread({
      postEveryMs: 1,
      loadSpec: async () => {
        asked++;
        throw new Error("database unreachable");
      },
    }, kind);
    drift.record(request(2, 1));
    expect(await drift.drain(MINUTE + 1_000)).toEqual([]);
    expect(asked).toBe(1);
    expect(drift.stats().specErrors).toBe(1);
  });

  it("waits for a spec that is still loading, so a drain right after the first requests includes them", async () => {
    // The flush on shutdown drains once: records waiting for their version's spec must not be left out.
    const drift = thread({ postEveryMs: 1, loadSpec: () => new Promise((resolve) => setTimeout(() => resolve(spec), 150)) }, kind);
    drift.record(request(2, 1));
    drift.record(request(3, 2));
    const rows = await drift.drain(MINUTE + 1_000);
    expect(JSON.parse(rows.find((r) => r.feature === "input:f2")!.sketch).count).toBe(5);
  });

  it("puts rows back for the next drain after a failed flush", async () => {
    const drift = thread({ postEveryMs: 1 }, kind);
    drift.record(request(3, 1));
    const rows = await drift.drain(MINUTE + 1_000);
    expect(rows).toHaveLength(4);
    expect(await drift.drain(MINUTE + 1_000)).toEqual([]);
    drift.requeue(rows);
    expect(await drift.drain(MINUTE + 1_000)).toEqual(rows);
  });
});

describe("DriftThread", () => {
  it("drops and counts requests beyond the pending bound instead of queueing without end", async () => {
    const drift = thread({ postEveryMs: 60_000, maxPendingValues: 10 });
    for (let i = 0; i < 5; i++) drift.record(request(1, i));
    // 3 values a request: three fit under 10, two are dropped.
    expect(drift.stats().dropped).toBe(2);
    const rows = await drift.drain(MINUTE + 1_000);
    expect(JSON.parse(rows.find((r) => r.feature === "input:f1")!.sketch).count).toBe(3);
  });

  it("is chosen with more than 2 cores on auto, or when asked for", () => {
    const opts = { loadSpec: async () => spec, seed: 1, log };
    const kinds = (["auto", "on", "off"] as const).flatMap((mode) => [2, 4].map((cores) => {
      const d = createDriftSketcher(opts, mode, cores);
      threads.push(d);
      return `${mode}/${cores}: ${d instanceof DriftThread ? "thread" : "in-process"}`;
    }));
    expect(kinds).toEqual(["auto/2: in-process", "auto/4: thread", "on/2: thread", "on/4: thread", "off/2: in-process", "off/4: in-process"]);
  });
});
