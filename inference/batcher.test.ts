import { describe, expect, it } from "vitest";
import type { ModelSignature } from "@/lib/tensor/datatypes";
import { Batcher, ClientGoneError, QueueFullError, QueueTimeoutError, type Tensors } from "./batcher";
import type { SketchRange } from "./worker-protocol";

const signature: ModelSignature = {
  inputs: [{ name: "x", datatype: "FP32", shape: [-1, 2] }],
  outputs: [{ name: "y", datatype: "FP32", shape: [-1, 2] }],
};

function rowsOf(values: number[][]): Tensors {
  return new Map([["x", { datatype: "FP32" as const, shape: [values.length, 2], data: Float32Array.from(values.flat()) }]]);
}

/** A runner whose runs finish when the test says so; doubles every element (identity shape). */
function gatedRunner() {
  const runs: { rows: number; json: boolean; sketch: SketchRange[]; release: () => void }[] = [];
  const run = (inputs: Tensors, _fresh: boolean, json: boolean, sketch: SketchRange[]) =>
    new Promise<Tensors>((resolve) => {
      const x = inputs.get("x")!;
      runs.push({
        rows: x.shape[0],
        json,
        sketch,
        release: () => resolve(new Map([["y", { ...x, data: (x.data as Float32Array).map((v) => v * 2) }]])),
      });
    });
  return { runs, run };
}

const options = { maxBatchSize: 8, maxQueueDelayMs: 0, queueSize: 4, timeoutMs: 1_000, concurrency: 1 };

describe("Batcher", () => {
  it("runs a lone request at once and stacks the ones that queued behind it", async () => {
    const { runs, run } = gatedRunner();
    const b = new Batcher(signature, run, options);
    const first = b.submit(rowsOf([[1, 1]]));
    expect(runs.length).toBe(1);
    const rest = [b.submit(rowsOf([[2, 2], [3, 3]])), b.submit(rowsOf([[4, 4]]))];
    expect(b.depth).toBe(2);
    runs[0].release();
    expect((await first).batchRows).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(runs.length).toBe(2);
    expect(runs[1].rows).toBe(3);
    runs[1].release();
    const [a, c] = await Promise.all(rest);
    expect(Array.from(a.outputs.get("y")!.data as Float32Array)).toEqual([4, 4, 6, 6]);
    expect(Array.from(c.outputs.get("y")!.data as Float32Array)).toEqual([8, 8]);
    expect(a.batchRows).toBe(3);
  });

  it("asks its runner for JSON text when any request of the run will answer in JSON", async () => {
    const { runs, run } = gatedRunner();
    const b = new Batcher(signature, run, options);
    const all = [b.submit(rowsOf([[1, 1]]), { json: false })];
    all.push(b.submit(rowsOf([[2, 2]])), b.submit(rowsOf([[3, 3]]), { json: true }));
    runs[0].release();
    await new Promise((r) => setImmediate(r));
    all.push(b.submit(rowsOf([[4, 4]]), { json: false }));
    runs[1].release();
    await new Promise((r) => setImmediate(r));
    runs[2].release();
    await Promise.all(all);
    expect(runs.map((r) => [r.rows, r.json])).toEqual([[1, false], [2, true], [1, false]]);
  });

  it("tells its runner which rows of a run to sketch for which endpoint: adjacent rows of one endpoint in one range", async () => {
    const { runs, run } = gatedRunner();
    const b = new Batcher(signature, run, { ...options, queueSize: 10 });
    const a = { endpointId: "a", version: 3 };
    const all = [b.submit(rowsOf([[0, 0]]), { sketch: a })];
    all.push(
      b.submit(rowsOf([[1, 1], [1, 1]]), { sketch: a }),
      b.submit(rowsOf([[2, 2]]), { sketch: a }),
      b.submit(rowsOf([[3, 3]])), // a shadow copy: not sketched
      b.submit(rowsOf([[4, 4]]), { sketch: a }),
      b.submit(rowsOf([[5, 5], [5, 5]]), { sketch: { endpointId: "b", version: 3 } }), // another endpoint sharing the version
      b.submit(rowsOf([[6, 6]]), { sketch: a }),
    );
    runs[0].release();
    await new Promise((r) => setImmediate(r));
    runs[1].release();
    await Promise.all(all);
    expect(runs.map((r) => [r.rows, r.sketch])).toEqual([
      [1, [{ endpointId: "a", version: 3, start: 0, rows: 1 }]],
      [
        8,
        [
          { endpointId: "a", version: 3, start: 0, rows: 3 },
          { endpointId: "a", version: 3, start: 4, rows: 1 },
          { endpointId: "b", version: 3, start: 5, rows: 2 },
          { endpointId: "a", version: 3, start: 7, rows: 1 },
        ],
      ],
    ]);
  });

  it("never stacks beyond maxBatchSize rows", async () => {
    const { runs, run } = gatedRunner();
    const b = new Batcher(signature, run, { ...options, maxBatchSize: 3, queueSize: 10 });
    const all = [b.submit(rowsOf([[0, 0]]))];
    for (let i = 0; i < 4; i++) all.push(b.submit(rowsOf([[i, i], [i, i]])));
    runs[0].release();
    await new Promise((r) => setImmediate(r));
    expect(runs[1].rows).toBe(2);
    runs[1].release();
    await new Promise((r) => setImmediate(r));
    expect(runs[2].rows).toBe(2);
    for (const r of runs.slice(2)) r.release();
    await new Promise((r) => setImmediate(r));
    for (const r of runs.slice(3)) r.release();
    await new Promise((r) => setImmediate(r));
    for (const r of runs.slice(4)) r.release();
    await Promise.all(all);
  });

  it("refuses requests beyond the queue size", async () => {
    const { run } = gatedRunner();
    const b = new Batcher(signature, run, { ...options, queueSize: 1 });
    void b.submit(rowsOf([[1, 1]])); // running
    void b.submit(rowsOf([[1, 1]])); // queued
    await expect(b.submit(rowsOf([[1, 1]]))).rejects.toBeInstanceOf(QueueFullError);
  });

  it("times out a waiting request and frees its slot", async () => {
    const { runs, run } = gatedRunner();
    const b = new Batcher(signature, run, { ...options, timeoutMs: 20 });
    void b.submit(rowsOf([[1, 1]])).catch(() => {});
    const waiting = b.submit(rowsOf([[1, 1]]));
    await expect(waiting).rejects.toBeInstanceOf(QueueTimeoutError);
    expect(b.depth).toBe(0);
    runs[0].release();
  });

  it("times out each request at its own deadline, a shorter one submitted after a longer one included", async () => {
    // Each request keeps its own deadline: one submitted after a longer one still times out first.
    const { runs, run } = gatedRunner();
    const b = new Batcher(signature, run, { ...options, timeoutMs: 5_000 });
    const running = b.submit(rowsOf([[1, 1]]));
    const patient = b.submit(rowsOf([[2, 2]]), { timeoutMs: 5_000 });
    const started = performance.now();
    const hasty = [b.submit(rowsOf([[3, 3]]), { timeoutMs: 30 }), b.submit(rowsOf([[4, 4]]), { timeoutMs: 60 })];
    for (const h of hasty) await expect(h).rejects.toBeInstanceOf(QueueTimeoutError);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(59);
    expect(waited).toBeLessThan(2_000);
    expect(b.depth).toBe(1);
    runs[0].release();
    await expect(running).resolves.toBeDefined();
    await new Promise((r) => setImmediate(r));
    runs[1].release();
    await expect(patient).resolves.toBeDefined();
  });

  it("drops a queued request whose client went away", async () => {
    const { runs, run } = gatedRunner();
    const b = new Batcher(signature, run, options);
    const first = b.submit(rowsOf([[1, 1]]));
    const abort = new AbortController();
    const gone = b.submit(rowsOf([[5, 5]]), { signal: abort.signal });
    expect(b.depth).toBe(1);
    abort.abort();
    await expect(gone).rejects.toBeInstanceOf(ClientGoneError);
    expect(b.depth).toBe(0);
    runs[0].release();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(runs.length).toBe(1);
  });

  it("drops a queued request when its reply says the client is gone, and unsubscribes once answered", async () => {
    // What the data plane passes: the HTTP reply, whose onGone hooks run when the connection closes unanswered.
    class Gone {
      hooks = new Set<() => void>();
      onGone(fn: () => void) {
        this.hooks.add(fn);
        return () => this.hooks.delete(fn);
      }
      close() {
        for (const fn of [...this.hooks]) fn();
      }
    }
    const { runs, run } = gatedRunner();
    const b = new Batcher(signature, run, options);
    const answered = new Gone();
    const first = b.submit(rowsOf([[1, 1]]), { gone: answered });
    const leaving = new Gone();
    const gone = b.submit(rowsOf([[5, 5]]), { gone: leaving });
    const staying = b.submit(rowsOf([[7, 7]]), { gone: new Gone() });
    expect(b.depth).toBe(2);
    leaving.close();
    await expect(gone).rejects.toBeInstanceOf(ClientGoneError);
    expect(b.depth).toBe(1);
    expect(leaving.hooks.size).toBe(0);
    runs[0].release();
    await first;
    expect(answered.hooks.size).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(runs.map((r) => r.rows)).toEqual([1, 1]);
    runs[1].release();
    expect(Array.from((await staying).outputs.get("y")!.data as Float32Array)).toEqual([14, 14]);
  });

  it("while a run is in flight, waits up to maxQueueDelayMs for a fuller batch but starts a full one at once", async () => {
    const { runs, run } = gatedRunner();
    const b = new Batcher(signature, run, { ...options, concurrency: 2, maxBatchSize: 4, maxQueueDelayMs: 40, queueSize: 10 });
    const all = [b.submit(rowsOf([[0, 0]]))]; // runs at once: nothing else is running
    all.push(b.submit(rowsOf([[1, 1]])), b.submit(rowsOf([[2, 2], [2, 2]])));
    expect(runs.length).toBe(1); // 3 rows waiting for a batch of 4, second slot free: waits for the delay
    all.push(b.submit(rowsOf([[3, 3]])));
    expect(runs.length).toBe(2); // 4 rows: a full batch starts in the free slot without waiting
    expect(runs[1].rows).toBe(4);
    all.push(b.submit(rowsOf([[4, 4]])));
    expect(b.depth).toBe(1);
    runs[0].release();
    runs[1].release();
    await new Promise((r) => setImmediate(r));
    expect(runs.length).toBe(3); // a slot freed with nothing else running: the partial batch starts at once, not after 40 ms
    runs[2].release();
    await Promise.all(all);
  });

  it("runs models without a batch axis one request at a time", async () => {
    const fixed: ModelSignature = { inputs: [{ name: "x", datatype: "FP32", shape: [1, 2] }], outputs: [{ name: "y", datatype: "FP32", shape: [1, 2] }] };
    const { runs, run } = gatedRunner();
    const b = new Batcher(fixed, run, options);
    const all = [b.submit(rowsOf([[1, 1]])), b.submit(rowsOf([[2, 2]])), b.submit(rowsOf([[3, 3]]))];
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      expect(runs.length).toBe(i + 1);
      expect(runs[i].rows).toBe(1);
      runs[i].release();
    }
    await Promise.all(all);
  });

  it("retries a failed stacked run in halves so that only the requests at fault fail", async () => {
    // Doubles like the gated runner, but refuses any run holding a negative value (a request the model cannot run).
    const poisoned = new Error("indices element out of data bounds");
    const rowsRun: number[] = [];
    const run = async (inputs: Tensors) => {
      const x = inputs.get("x")!;
      rowsRun.push(x.shape[0]);
      if ((x.data as Float32Array).some((v) => v < 0)) throw poisoned;
      return new Map([["y", { ...x, data: (x.data as Float32Array).map((v) => v * 2) }]]);
    };
    const values = [[1], [2], [-3], [4], [5], [6], [-7], [8]];
    const submitAll = (b: Batcher) => {
      const gate = b.submit(rowsOf([[0, 0]])); // runs alone at once; the rest queue behind it and stack
      return [gate, ...values.map(([v]) => b.submit(rowsOf([[v, v]])))];
    };

    const isolating = new Batcher(signature, run, { ...options, queueSize: 10 }, undefined, (e) => e === poisoned);
    const results = await Promise.allSettled(submitAll(isolating));
    expect(results.map((r) => (r.status === "fulfilled" ? Array.from(r.value.outputs.get("y")!.data as Float32Array)[0] : "failed"))).toEqual([
      0, 2, 4, "failed", 8, 10, 12, "failed", 16,
    ]);
    expect(results.filter((r) => r.status === "rejected").every((r) => (r as PromiseRejectedResult).reason === poisoned)).toBe(true);
    // 1 row, then 8 that fail; their halves: [1 2 -3 4] fails → [1 2], [-3 4] fails → [-3], [4];
    // [5 6 -7 8] fails → [5 6], [-7 8] fails → [-7], [8].
    expect(rowsRun).toEqual([1, 8, 4, 2, 2, 1, 1, 4, 2, 2, 1, 1]);

    // Errors that are the whole run's fault (a crashed worker) fail the whole run, as before.
    rowsRun.length = 0;
    const plain = new Batcher(signature, run, { ...options, queueSize: 10 });
    const all = await Promise.allSettled(submitAll(plain));
    expect(all.map((r) => r.status)).toEqual(["fulfilled", ...new Array(8).fill("rejected")]);
    expect(rowsRun).toEqual([1, 8]);
  });
});
