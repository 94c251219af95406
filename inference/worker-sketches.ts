/**
 * The drift sketches of one session worker (lib/drift/sketch-recorder.ts). A worker already holds each run's stacked
 * inputs and its outputs, so it sketches the rows of a run once its answer has been posted: binning and sampling every
 * value never runs on the HTTP thread, and nothing is copied for it (a 64-row batch's sketch cost the HTTP thread
 * ~20 µs per request, bench/README.md). The batcher says which rows of a run were an endpoint's own traffic
 * (SketchRange: shadow requests and warm-up runs are not sketched).
 *
 * Each worker's sketches are its own: the pool drains every worker and flushes each worker's rows under an instance id
 * of its own (worker-pool.ts), and readers merge instances as they merge processes. Specs are asked of the HTTP
 * thread, which has the database.
 */
import type { DriftSpec } from "@/lib/drift/drift-spec";
import { createSketchRecorder, type DriftSketchRow, type RecordedTensor, type SketchRecorder } from "@/lib/drift/sketch-recorder";
import type { TensorData } from "@/lib/oip/oip-tensor";
import { rowSize, sliceRows } from "@/lib/oip/stack-batch";
import { SketchBudget } from "./sketch-budget";
import type { FromWorker, SketchRange, ToWorker, WorkerSketchStats } from "./worker-protocol";

/** How long a drain waits for records whose version's spec is still loading. */
export const SPEC_WAIT_MS = 2_000;

/** Tracks the promises of records waiting for a spec, so a drain can wait for them (bounded by SPEC_WAIT_MS). */
export class PendingRecords {
  private readonly pending = new Set<Promise<void>>();

  add(p: void | Promise<void>): void {
    if (!p) return;
    // A failed spec load is counted by the recorder (specErrors); nothing else can reject.
    const tracked: Promise<void> = p.catch(() => {}).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  async settled(): Promise<void> {
    if (this.pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.pending), new Promise((resolve) => (timer = setTimeout(resolve, SPEC_WAIT_MS)))]);
    clearTimeout(timer);
  }
}

export type SketchTensor = { name: string; datatype: string; shape: readonly number[]; data: TensorData };

export class WorkerSketches {
  private readonly recorder: SketchRecorder;
  private readonly budget: SketchBudget;
  private readonly pending = new PendingRecords();
  private readonly specRequests = new Map<number, { resolve: (spec: DriftSpec | null) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(
    seed: number,
    private readonly post: (m: FromWorker) => void,
    options: { maxSketches?: number; valuesPerSecond?: number; now?: () => number } = {},
  ) {
    this.budget = new SketchBudget(options.valuesPerSecond ?? Infinity, options.now);
    this.recorder = createSketchRecorder({
      seed,
      maxSketches: options.maxSketches,
      loadSpec: (endpointId, version) =>
        new Promise<DriftSpec | null>((resolve, reject) => {
          const id = this.nextId++;
          this.specRequests.set(id, { resolve, reject });
          this.post({ type: "spec?", id, endpointId, version });
        }),
    });
  }

  /** The ranges of a run the sketches take (within the budget, sketch-budget.ts); asked before anything is copied for them. */
  admit(ranges: readonly SketchRange[], inputs: readonly SketchTensor[]): readonly SketchRange[] {
    let valuesPerRow = 0;
    for (const t of inputs) valuesPerRow += rowSize(t.shape);
    return this.budget.admit(ranges, valuesPerRow);
  }

  /** Adds each range's rows of a run to its endpoint's sketches (never waits: a spec still loading is waited for aside). */
  record(ranges: readonly SketchRange[], inputs: readonly SketchTensor[], outputs: readonly SketchTensor[], at = new Date()): void {
    for (const r of ranges) {
      this.pending.add(this.recorder.record({ endpointId: r.endpointId, version: r.version, at, inputs: rowsOf(inputs, r), outputs: rowsOf(outputs, r) }));
    }
  }

  /**
   * Counts the rows of the ranges the budget did not take (`taken`: what admit returned for `ranges`) as skipped in
   * their endpoint's sketches, so readers know a window was sampled and from how many rows.
   */
  skip(ranges: readonly SketchRange[], taken: readonly SketchRange[], inputs: readonly SketchTensor[], at = new Date()): void {
    if (taken.length === ranges.length) return;
    let tensors: Map<string, RecordedTensor> | undefined;
    for (let i = 0, j = 0; i < ranges.length; i++) {
      const r = ranges[i];
      if (taken[j] === r) {
        j++;
        continue;
      }
      tensors ??= new Map(inputs.map((t) => [t.name, t]));
      this.pending.add(this.recorder.record({ endpointId: r.endpointId, version: r.version, at, inputs: tensors, skippedRows: r.rows }));
    }
  }

  answerSpec(m: Extract<ToWorker, { type: "spec" }>): void {
    const waiting = this.specRequests.get(m.id);
    this.specRequests.delete(m.id);
    if (m.error !== undefined) waiting?.reject(new Error(m.error));
    else waiting?.resolve(m.spec ?? null);
  }

  /** Snapshots of every sketch changed since the last drain — records still waiting for their spec included. */
  async drain(now: number): Promise<{ rows: DriftSketchRow[]; stats: WorkerSketchStats }> {
    await this.pending.settled();
    return { rows: this.recorder.drain(now), stats: { ...this.recorder.stats(), skippedRows: this.budget.skippedRows } };
  }
}

function rowsOf(tensors: readonly SketchTensor[], range: SketchRange): Map<string, RecordedTensor> {
  const map = new Map<string, RecordedTensor>();
  for (const t of tensors) {
    const { shape, data } = sliceRows(t.shape, t.data, range.start, range.rows);
    map.set(t.name, { datatype: t.datatype, shape, data });
  }
  return map;
}
