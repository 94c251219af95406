/**
 * Dynamic batching for one version, in the manner of Triton's dynamic batcher: requests that can share a run (same
 * batch key: input names, datatypes, non-batch dimensions) are stacked along axis 0 up to `maxBatchSize` rows, and
 * the outputs are split so each caller gets exactly its rows.
 *
 * When to run: at once while a run slot is free and nothing else of this version is running (so a lone client
 * never waits: latency at low load equals an unbatched server's); when other runs are already in flight, a
 * partial batch may wait up to `maxQueueDelayMs` to fill. While every slot is busy requests simply accumulate and
 * the next free slot takes as many as fit: under load batches form by themselves.
 */
import { batchKey, rowCountOf, splitOutputs, stackInputs } from "@/lib/oip/stack-batch";
import type { OipTensor } from "@/lib/oip/oip-tensor";
import type { ModelSignature } from "@/lib/tensor/datatypes";
import type { SketchRange } from "./worker-protocol";

export type Tensors = Map<string, OipTensor>;

export class QueueFullError extends Error {
  constructor(readonly queueSize: number) {
    super(`the queue of this model version is full (${queueSize} requests waiting); retry shortly`);
    this.name = "QueueFullError";
  }
}

export class QueueTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the request did not complete within ${timeoutMs} ms`);
    this.name = "QueueTimeoutError";
  }
}

export class ClientGoneError extends Error {
  constructor() {
    super("the client disconnected");
    this.name = "ClientGoneError";
  }
}

export interface BatcherOptions {
  maxBatchSize: number;
  maxQueueDelayMs: number;
  queueSize: number;
  timeoutMs: number;
  /** Runs allowed at once (the number of workers that can run this version). */
  concurrency: number;
}

/**
 * Runs stacked inputs. `fresh`: the tensors were built for this run, so their buffers may be transferred. `json`: some
 * request of the run wants its outputs as JSON (the runner may return their text with them: OipTensor.json).
 * `sketch`: the run's rows that are an endpoint's own traffic, for its drift sketches (adjacent rows of one endpoint
 * in one range).
 */
export type RunBatch = (inputs: Tensors, fresh: boolean, json: boolean, sketch: SketchRange[]) => Promise<Tensors>;

/** Whose traffic a request is, for the drift sketches: shadow copies and warm-up runs have none. */
export type SketchAs = { endpointId: string; version: number };

export interface BatchResult {
  outputs: Tensors;
  queueMs: number;
  /** Rows in the run that served this request (≥ its own rows). */
  batchRows: number;
}

/** Tells when the caller stopped waiting (its client disconnected); returns the unsubscribe. */
export interface GoneNotifier {
  onGone(fn: () => void): () => void;
}

export interface SubmitOptions {
  signal?: AbortSignal;
  /** A request still waiting is removed from the queue when its caller is gone; one already running finishes, unanswered. */
  gone?: GoneNotifier;
  timeoutMs?: number;
  /** The caller will answer with these outputs as JSON (see RunBatch). */
  json?: boolean;
  /** Sketch the request's rows for this endpoint's drift (see RunBatch). */
  sketch?: SketchAs;
}

/**
 * One queued request. A class with methods rather than closures per request: this runs for every request, and under
 * tsx every named closure also costs a defineProperty for its name (esbuild's keepNames).
 */
class Item {
  started = false;
  done = false;
  readonly enqueuedAt = performance.now();
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort: (() => void) | undefined;
  private readonly unsubscribe: (() => void) | undefined;

  constructor(
    private readonly batcher: Batcher,
    readonly inputs: Tensors,
    readonly rows: number,
    readonly key: string,
    private readonly timeoutMs: number,
    private readonly settle: (r: BatchResult) => void,
    private readonly fail: (e: Error) => void,
    private readonly signal: AbortSignal | undefined,
    gone: GoneNotifier | undefined,
    readonly json: boolean,
    readonly sketch: SketchAs | undefined,
  ) {
    this.timer = setTimeout(timeOut, timeoutMs, this);
    if (signal || gone) {
      this.onAbort = this.abandon.bind(this);
      signal?.addEventListener("abort", this.onAbort, { once: true });
      this.unsubscribe = gone?.onGone(this.onAbort);
    }
  }

  /** Ends a request that has not been answered: taken out of the queue if it is still waiting. */
  end(e: Error): void {
    if (this.done) return;
    if (!this.started) this.batcher.unqueue(this);
    this.reject(e);
  }

  timedOut(): void {
    this.end(new QueueTimeoutError(this.timeoutMs));
  }

  abandon(): void {
    this.end(new ClientGoneError());
  }

  resolve(r: BatchResult): void {
    if (this.done) return;
    this.cleanup();
    this.settle(r);
  }

  reject(e: Error): void {
    if (this.done) return;
    this.cleanup();
    this.fail(e);
  }

  private cleanup(): void {
    this.done = true;
    clearTimeout(this.timer);
    if (this.onAbort) this.signal?.removeEventListener("abort", this.onAbort);
    this.unsubscribe?.();
  }
}

function timeOut(item: Item): void {
  item.timedOut();
}

/** The rows of a run to sketch, per endpoint: adjacent requests of one endpoint share a range. */
function sketchRanges(batch: readonly Item[], rowCounts: readonly number[]): SketchRange[] {
  const ranges: SketchRange[] = [];
  let start = 0;
  for (let i = 0; i < batch.length; i++) {
    const as = batch[i].sketch;
    const rows = rowCounts[i];
    if (as) {
      const last = ranges[ranges.length - 1];
      if (last && last.endpointId === as.endpointId && last.version === as.version && last.start + last.rows === start) last.rows += rows;
      else ranges.push({ endpointId: as.endpointId, version: as.version, start, rows });
    }
    start += rows;
  }
  return ranges;
}

let soloKeys = 0;

export class Batcher {
  private queue: Item[] = [];
  /** Rows of every request in `queue`. */
  private queuedRows = 0;
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  readonly batchable: boolean;

  constructor(
    private readonly signature: ModelSignature,
    private readonly runBatch: RunBatch,
    public options: BatcherOptions,
    /** Observes every run (metrics): rows stacked and how many requests shared it. */
    private readonly onRun?: (rows: number, requests: number) => void,
    /**
     * Whether a failed run of several requests may be one request's fault (onnxruntime refusing an input, say) rather
     * than the whole run's (a crashed worker). Such runs are split and retried, so only the requests at fault fail.
     */
    private readonly mayBeOneRequestsFault: (e: Error) => boolean = () => false,
  ) {
    this.batchable = signature.inputs.length > 0 && [...signature.inputs, ...signature.outputs].every((t) => t.shape.length >= 1 && t.shape[0] < 0);
  }

  /** Requests waiting to start (not counting those in a running batch). */
  get depth(): number {
    return this.queue.length;
  }

  get busy(): boolean {
    return this.running > 0 || this.queue.length > 0;
  }

  /** Queues a request; it fails with QueueTimeoutError after `timeoutMs`, ClientGoneError when its caller is gone. */
  submit(inputs: Tensors, opts: SubmitOptions = {}): Promise<BatchResult> {
    if (this.queue.length >= this.options.queueSize) return Promise.reject(new QueueFullError(this.options.queueSize));
    if (opts.signal?.aborted) return Promise.reject(new ClientGoneError());
    let rows = 1;
    let key = `solo:${++soloKeys}`;
    if (this.batchable) {
      try {
        rows = rowCountOf(inputs);
        key = batchKey(inputs);
      } catch {
        // Inputs that disagree on their row count cannot be stacked; they still run on their own.
      }
    }
    return new Promise<BatchResult>((resolve, reject) => {
      this.queue.push(new Item(this, inputs, rows, key, opts.timeoutMs ?? this.options.timeoutMs, resolve, reject, opts.signal, opts.gone, opts.json === true, opts.sketch));
      this.queuedRows += rows;
      this.pump();
    });
  }

  /** Takes a request that is still waiting out of the queue (it timed out, or its caller is gone). */
  unqueue(item: Item): void {
    const i = this.queue.indexOf(item);
    if (i < 0) return;
    this.queue.splice(i, 1);
    this.queuedRows -= item.rows;
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const head = this.queue[0];
      if (this.batchable && this.running > 0 && this.options.maxQueueDelayMs > 0) {
        const waited = performance.now() - head.enqueuedAt;
        // The head's key holds at most every queued row: count them only when that could be a full batch.
        const rows = this.queuedRows < this.options.maxBatchSize ? this.queuedRows : this.rowsOf(head.key);
        if (rows < this.options.maxBatchSize && waited < this.options.maxQueueDelayMs) {
          this.timer ??= setTimeout(() => {
            this.timer = undefined;
            this.pump();
          }, this.options.maxQueueDelayMs - waited);
          return;
        }
      }
      this.start(this.take());
    }
  }

  private rowsOf(key: string): number {
    let rows = 0;
    for (const item of this.queue) if (item.key === key) rows += item.rows;
    return rows;
  }

  /** The head of the queue and whatever else fits in its batch, in one pass over the queue. */
  private take(): Item[] {
    const head = this.queue[0];
    const batch = [head];
    let rows = head.rows;
    if (this.batchable && this.queue.length > 1) {
      const rest: Item[] = [];
      for (let i = 1; i < this.queue.length; i++) {
        const item = this.queue[i];
        if (rows < this.options.maxBatchSize && item.key === head.key && rows + item.rows <= this.options.maxBatchSize) {
          batch.push(item);
          rows += item.rows;
        } else rest.push(item);
      }
      this.queue = rest;
    } else this.queue.shift();
    this.queuedRows -= rows;
    return batch;
  }

  private start(batch: Item[]): void {
    this.running++;
    const startedAt = performance.now();
    for (const item of batch) item.started = true;
    void this.execute(batch, startedAt).finally(() => {
      this.running--;
      this.pump();
    });
  }

  private async execute(batch: Item[], startedAt: number): Promise<void> {
    try {
      const { inputs, rowCounts } =
        batch.length === 1 ? { inputs: batch[0].inputs, rowCounts: [batch[0].rows] } : stackInputs(batch.map((i) => i.inputs), this.signature);
      const total = rowCounts.reduce((a, b) => a + b, 0);
      this.onRun?.(total, batch.length);
      let json = false;
      for (const item of batch) json ||= item.json;
      const outputs = await this.runBatch(inputs, batch.length > 1, json, sketchRanges(batch, rowCounts));
      const parts = batch.length === 1 ? [outputs] : splitOutputs(outputs, rowCounts);
      batch.forEach((item, i) => item.resolve({ outputs: parts[i], queueMs: startedAt - item.enqueuedAt, batchRows: total }));
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      if (batch.length > 1 && this.mayBeOneRequestsFault(error)) {
        // One caller's input must not fail the callers stacked with it, nor a mirrored shadow request the version's
        // own traffic: run each half again, recursively, until the failure rests on the requests that cause it.
        // k bad requests among n cost about 2k·log2(n) extra runs, and only when a run fails.
        const live = batch.filter((i) => !i.done);
        const half = Math.ceil(live.length / 2);
        if (live.length > 0) await this.execute(live.slice(0, half), startedAt);
        if (live.length > 1) await this.execute(live.slice(half), startedAt);
        return;
      }
      for (const item of batch) item.reject(error);
    }
  }

  /** Rejects everything still waiting (shutdown of a version that is gone). */
  failQueued(error: Error): void {
    const queued = this.queue;
    this.queue = [];
    this.queuedRows = 0;
    for (const item of queued) item.reject(error);
  }
}
