/**
 * The data plane's drift sketches, kept on a worker thread of their own (drift-worker.ts) on machines with cores to
 * spare, or on the HTTP thread (`InProcessDrift`) where they are not: `createDriftSketcher` chooses
 * (FERRY_DRIFT_THREAD, default: a thread with more than 2 cores). Binning and sampling every value of every answered
 * row is the largest piece of recording: on the HTTP thread it took ~30 % of its time at batch 64 (35-45 µs per
 * request, bench/README.md). With the thread, the HTTP thread only queues answered requests; every `postEveryMs` it
 * stacks them (groupForSketching: a batch's requests become one record) and posts them with their buffers
 * transferred — one message per interval, however many requests — and the worker sketches them. On 2 cores that
 * moved work without freeing any (the server and a load generator already use both), and the copies and wake-ups
 * made batch-64 binary ~7 % slower, so there the sketches stay on the HTTP thread.
 *
 * Bounded: values posted and not yet sketched are capped (`maxPendingValues`); beyond it a request is not sketched and
 * is counted in `stats().dropped` (ferry_drift_dropped), never waited for. Specs are loaded here (the database is this
 * thread's) when the worker asks. If the worker dies, its in-memory sketches are lost (the minute's rows already
 * flushed stay; the next flush of that minute writes only what the new worker saw), it is logged and started again.
 */
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { DriftSpec } from "@/lib/drift/drift-spec";
import { createSketchRecorder, type DriftSketchRow, type RecorderStats, type SketchRecord } from "@/lib/drift/sketch-recorder";
import { isWholeBuffer, type OipTensor, type TensorData } from "@/lib/oip/oip-tensor";
import { sameLayout, stackRows } from "@/lib/oip/stack-batch";

export type WireSketchTensor = { name: string; datatype: string; shape: number[]; data: TensorData };
export type WireSketchRecord = {
  endpointId: string;
  version: number;
  at: number;
  inputs: WireSketchTensor[];
  outputs?: WireSketchTensor[];
};

export type ToDriftWorker =
  /** `values`: the input values the records carry, acknowledged back once sketched (the pending bound). */
  | { type: "record"; records: WireSketchRecord[]; values: number }
  | { type: "spec"; id: number; spec?: DriftSpec | null; error?: string }
  | { type: "drain"; id: number; now: number }
  | { type: "requeue"; rows: DriftSketchRow[] };

export type FromDriftWorker =
  | { type: "spec?"; id: number; endpointId: string; version: number }
  | { type: "recorded"; values: number }
  | { type: "drained"; id: number; rows: DriftSketchRow[]; stats: RecorderStats };

export type QueuedSketch = Omit<SketchRecord, "inputs" | "outputs"> & { inputs: Map<string, OipTensor>; outputs?: Map<string, OipTensor> };

export type DriftThreadOptions = {
  loadSpec: (endpointId: string, version: number) => Promise<DriftSpec | null>;
  /** Mixed into every reservoir seed (e.g. a hash of the instance id), so instances sample independently. */
  seed: number;
  log: Logger;
  /** How long answered requests wait on this thread before they are posted together. Default 10 ms. */
  postEveryMs?: number;
  /** Values posted (or queued) and not yet sketched beyond which requests are dropped. Default 4,000,000 (~32 MB). */
  maxPendingValues?: number;
  maxSketches?: number;
};

const ENTRY = new URL("./drift-worker.ts", import.meta.url).href;
const BOOTSTRAP = new URL("./worker-bootstrap.mjs", import.meta.url);
const RESTART_DELAY_MS = 1_000;

/** What the recorder needs of the drift sketches, wherever they are kept. */
export interface DriftSketcher {
  /** Queues an answered request for sketching (never waits). */
  record(r: QueuedSketch): void;
  /**
   * Snapshots of every sketch changed since the last drain, everything recorded before the call included — also the
   * records still waiting for their version's spec to load (for up to SPEC_WAIT_MS; later ones go with the next drain).
   */
  drain(now: number): Promise<DriftSketchRow[]>;
  /** Puts rows back after a failed flush so the next drain returns them again. */
  requeue(rows: DriftSketchRow[]): void;
  stats(): RecorderStats;
  close(): Promise<void>;
}

/** How long a drain waits for records whose version's spec is still loading. */
export const SPEC_WAIT_MS = 2_000;

/** Tracks the promises of records waiting for a spec, so a drain can wait for them (bounded by SPEC_WAIT_MS). */
export class PendingRecords {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly onError: (e: unknown) => void) {}

  add(p: void | Promise<void>): void {
    if (!p) return;
    const tracked: Promise<void> = p.then(
      () => {},
      (e: unknown) => this.onError(e),
    ).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  async settled(): Promise<void> {
    if (this.pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.pending), new Promise((resolve) => (timer = setTimeout(resolve, SPEC_WAIT_MS)))]);
    clearTimeout(timer);
  }
}

/** FERRY_DRIFT_THREAD: "on", "off", or "auto" (a thread when the machine has more than 2 cores). */
export function createDriftSketcher(opts: DriftThreadOptions, mode: "on" | "off" | "auto", cores: number): DriftSketcher {
  return mode === "on" || (mode === "auto" && cores > 2) ? new DriftThread(opts) : new InProcessDrift(opts);
}

/**
 * The sketches on the HTTP thread: the requests answered within `postEveryMs` are sketched together, stacked as on
 * the thread — a sketch costs about as much per call as per row, so the more rows per call the better (sketching each
 * turn of the event loop's ~24 requests at batch 1 / 64 connections cost 1-3 µs more per request than every 10 ms).
 */
export class InProcessDrift implements DriftSketcher {
  private readonly recorder;
  private queue: QueuedSketch[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly pending: PendingRecords;

  constructor(private readonly opts: DriftThreadOptions) {
    this.sketchQueued = this.sketchQueued.bind(this);
    this.recorder = createSketchRecorder({ loadSpec: opts.loadSpec, seed: opts.seed, maxSketches: opts.maxSketches });
    this.pending = new PendingRecords((e) => opts.log.warn({ err: e }, "drift sketch recording failed"));
  }

  record(r: QueuedSketch): void {
    this.queue.push(r);
    this.timer ??= setTimeout(this.sketchQueued, this.opts.postEveryMs ?? 10);
  }

  private sketchQueued(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const queue = this.queue;
    this.queue = [];
    for (const record of groupForSketching(queue)) this.pending.add(this.recorder.record(record));
  }

  async drain(now: number): Promise<DriftSketchRow[]> {
    this.sketchQueued();
    await this.pending.settled();
    return this.recorder.drain(now);
  }

  requeue(rows: DriftSketchRow[]): void {
    this.recorder.requeue(rows);
  }

  stats(): RecorderStats {
    return this.recorder.stats();
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
  }
}

export class DriftThread implements DriftSketcher {
  private worker: Worker | undefined;
  private queue: QueuedSketch[] = [];
  private queuedValues = 0;
  private pendingValues = 0;
  private droppedHere = 0;
  private last: RecorderStats = { sketches: 0, dropped: 0, late: 0, specErrors: 0 };
  private readonly drains = new Map<number, { resolve: (rows: DriftSketchRow[]) => void; reject: (e: Error) => void }>();
  private timer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: DriftThreadOptions) {
    this.post = this.post.bind(this);
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const worker = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY, seed: this.opts.seed, maxSketches: this.opts.maxSketches }, execArgv: [] });
    // Never what keeps a process alive: close() ends it, and an exiting process ends it anyway.
    worker.unref();
    worker.on("message", (m: FromDriftWorker) => this.onMessage(m));
    worker.on("error", (e) => this.opts.log.error({ err: e }, "drift worker error"));
    worker.on("exit", (code) => {
      if (this.worker === worker) this.worker = undefined;
      this.pendingValues = 0;
      for (const d of this.drains.values()) d.reject(new Error("the drift worker stopped"));
      this.drains.clear();
      if (this.closed) return;
      this.opts.log.error({ code }, "drift worker exited; its sketches since the last flush are lost; restarting it");
      setTimeout(() => {
        if (!this.closed) this.worker = this.spawn();
      }, RESTART_DELAY_MS).unref();
    });
    return worker;
  }

  /** Posted with the others within postEveryMs. */
  record(r: QueuedSketch): void {
    if (this.closed) return;
    let values = 0;
    for (const t of r.inputs.values()) values += t.data.length;
    if (this.pendingValues + this.queuedValues + values > (this.opts.maxPendingValues ?? 4_000_000)) {
      this.droppedHere++;
      return;
    }
    this.queue.push(r);
    this.queuedValues += values;
    this.timer ??= setTimeout(this.post, this.opts.postEveryMs ?? 10);
  }

  /** Posts what is queued: stacked per batch, each buffer owned by the message (copied unless made here). */
  private post(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const queue = this.queue;
    if (queue.length === 0 || !this.worker) return;
    this.queue = [];
    const originals = new Set(queue);
    const transfer: ArrayBuffer[] = [];
    const records = groupForSketching(queue).map((g): WireSketchRecord => {
      // A group of several was stacked into new buffers; a lone request's tensors are the request's own (shadow
      // traffic may still read them) or views into a larger buffer: those are copied, never detached.
      const own = !originals.has(g);
      return { endpointId: g.endpointId, version: g.version, at: g.at.getTime(), inputs: wire(g.inputs, own, transfer), outputs: g.outputs && wire(g.outputs, own, transfer) };
    });
    const values = this.queuedValues;
    this.pendingValues += values;
    this.queuedValues = 0;
    this.send({ type: "record", records, values }, transfer);
  }

  private send(m: ToDriftWorker, transfer: ArrayBuffer[] = []): void {
    this.worker?.postMessage(m, transfer);
  }

  private onMessage(m: FromDriftWorker): void {
    if (m.type === "recorded") {
      this.pendingValues = Math.max(0, this.pendingValues - m.values);
    } else if (m.type === "spec?") {
      this.opts.loadSpec(m.endpointId, m.version).then(
        (spec) => this.send({ type: "spec", id: m.id, spec }),
        (e: unknown) => this.send({ type: "spec", id: m.id, error: String((e as Error)?.message ?? e) }),
      );
    } else if (m.type === "drained") {
      this.last = m.stats;
      const d = this.drains.get(m.id);
      this.drains.delete(m.id);
      d?.resolve(m.rows);
    }
  }

  /** Snapshots of every sketch changed since the last drain (everything recorded before the call included). */
  drain(now: number): Promise<DriftSketchRow[]> {
    this.post();
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error("the drift worker is restarting"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.drains.set(id, { resolve, reject });
      worker.postMessage({ type: "drain", id, now } satisfies ToDriftWorker);
    });
  }

  /** Puts rows back after a failed flush so the next drain returns them again. */
  requeue(rows: DriftSketchRow[]): void {
    this.send({ type: "requeue", rows });
  }

  /** As of the last drain, plus the requests dropped here at the pending bound. */
  stats(): RecorderStats {
    return { ...this.last, dropped: this.last.dropped + this.droppedHere };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.worker?.terminate();
  }
}

function wire(tensors: Map<string, OipTensor>, own: boolean, transfer: ArrayBuffer[]): WireSketchTensor[] {
  const out: WireSketchTensor[] = [];
  for (const [name, t] of tensors) {
    let data = t.data;
    if (!Array.isArray(data)) {
      const typed = data as Exclude<TensorData, string[]>;
      const mine = own && isWholeBuffer(typed) ? typed : typed.slice();
      transfer.push(mine.buffer as ArrayBuffer);
      data = mine;
    }
    out.push({ name, datatype: t.datatype, shape: t.shape, data });
  }
  return out;
}

/** Consecutive records of one endpoint, version and minute whose tensors stack become one record of all their rows. */
export function groupForSketching(queue: readonly QueuedSketch[]): QueuedSketch[] {
  const grouped: QueuedSketch[] = [];
  for (let i = 0; i < queue.length; ) {
    const first = queue[i];
    let end = i + 1;
    while (end < queue.length && stackableWith(first, queue[end])) end++;
    grouped.push(end - i === 1 ? first : stackRecords(queue.slice(i, end)));
    i = end;
  }
  return grouped;
}

function stackableWith(a: QueuedSketch, b: QueuedSketch): boolean {
  return (
    a.endpointId === b.endpointId &&
    a.version === b.version &&
    Math.floor(a.at.getTime() / 60_000) === Math.floor(b.at.getTime() / 60_000) &&
    sameLayout(a.inputs, b.inputs) &&
    (a.outputs === undefined ? b.outputs === undefined : b.outputs !== undefined && sameLayout(a.outputs, b.outputs))
  );
}

/** One record of the rows of several (stackableWith the first), in order. */
function stackRecords(records: QueuedSketch[]): QueuedSketch {
  const first = records[0];
  return {
    ...first,
    inputs: stackRows(records.map((r) => r.inputs), first.inputs.keys()),
    ...(first.outputs && { outputs: stackRows(records.map((r) => r.outputs!), first.outputs.keys()) }),
  };
}
