/**
 * A fixed set of session workers. Every worker loads every needed model (see README: replication, not sharding),
 * so any worker can run any version and a run goes to the least busy one. The pool keeps each model's bytes so a
 * restarted worker can load them again: a crashed worker fails only its own in-flight runs and is replaced.
 * Each worker also keeps the drift sketches of the runs it served (worker-sketches.ts): the pool answers its requests
 * for a version's spec (`loadSpec`) and collects every worker's sketches for the recorder's flush (`drainSketches`).
 */
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { DriftSpec } from "@/lib/drift/drift-spec";
import type { DriftSketchRow } from "@/lib/drift/sketch-recorder";
import { mixSeed } from "@/lib/drift/seeded-random";
import type { FromWorker, SketchRange, ToWorker, WireTensor, WorkerSketchStats } from "./worker-protocol";

export class WorkerCrashedError extends Error {
  constructor() {
    super("the inference worker stopped unexpectedly while running this request");
    this.name = "WorkerCrashedError";
  }
}

/** onnxruntime refused the inputs or failed during the run (the model's fault or the input's, not the server's). */
export class RunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunError";
  }
}

interface Pending {
  resolve: (m: FromWorker) => void;
  reject: (e: Error) => void;
}

interface Slot {
  index: number;
  /** Which start of a worker this is (1, 2, …, across every slot): names its drift sketches' rows. */
  serial: number;
  worker: Worker;
  pending: Map<number, Pending>;
  /** Keys whose load on this worker has been issued (resolves when loaded). */
  loads: Map<string, Promise<void>>;
  loaded: Set<string>;
  running: number;
  alive: boolean;
}

/** How long a run waits for a restarted worker to have its model loaded again. */
const RESTART_WAIT_MS = 30_000;
const ENTRY = new URL("./session-worker.ts", import.meta.url).href;
const BOOTSTRAP = new URL("./worker-bootstrap.mjs", import.meta.url);

/** The drift sketches of one worker, drained: `source` tells the workers (and their restarts) apart. */
export interface WorkerSketchRows {
  source: string;
  rows: DriftSketchRow[];
  stats: WorkerSketchStats;
}

export interface WorkerPoolOptions {
  log?: Logger;
  /** A version's drift spec, for the workers' sketches (worker-sketches.ts). Without it nothing is sketched. */
  loadSpec?: (endpointId: string, version: number) => Promise<DriftSpec | null>;
  /** Mixed into every worker's reservoir seeds (e.g. a hash of the instance id), with the worker's serial. */
  sketchSeed?: number;
  /**
   * The drift budget: values sketched per second per version, shared evenly by the workers (sketch-budget.ts; runs go
   * to the least busy worker, so a version's traffic spreads across them). Default: every row.
   */
  sketchValuesPerSecond?: number;
}

export class WorkerPool {
  private slots: Slot[] = [];
  private readonly models = new Map<string, Uint8Array>();
  private nextId = 1;
  private closed = false;
  private crashes = 0;
  private serials = 0;
  private readonly log: Logger | undefined;

  constructor(
    readonly size: number,
    private readonly opts: WorkerPoolOptions = {},
  ) {
    this.log = opts.log;
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(i));
  }

  private spawn(index: number): Slot {
    const serial = ++this.serials;
    const worker = new Worker(BOOTSTRAP, {
      workerData: { entry: ENTRY, sketchSeed: mixSeed(this.opts.sketchSeed ?? 0, serial), sketchValuesPerSecond: (this.opts.sketchValuesPerSecond ?? Infinity) / this.size },
      execArgv: [],
    });
    const slot: Slot = { index, serial, worker, pending: new Map(), loads: new Map(), loaded: new Set(), running: 0, alive: true };
    worker.on("message", (m: FromWorker) => {
      if (m.type === "spec?") return this.answerSpec(slot, m);
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      p.resolve(m);
    });
    worker.on("error", (e) => this.log?.error({ err: e, worker: index }, "inference worker error"));
    worker.on("exit", (code) => this.onExit(slot, code));
    for (const [key, bytes] of this.models) this.loadOn(slot, key, bytes);
    return slot;
  }

  private onExit(slot: Slot, code: number) {
    slot.alive = false;
    slot.loads.clear();
    slot.loaded.clear();
    for (const p of slot.pending.values()) p.reject(new WorkerCrashedError());
    slot.pending.clear();
    if (this.closed) return;
    this.crashes++;
    this.log?.error({ worker: slot.index, code }, "inference worker exited; restarting it");
    // Back off when a model kills workers as soon as they load it, so a crash loop does not eat the CPU.
    const delay = Math.min(5_000, 50 * 2 ** Math.min(this.crashes, 7));
    setTimeout(() => {
      if (!this.closed) this.slots[slot.index] = this.spawn(slot.index);
    }, this.crashes > 1 ? delay : 0).unref();
    setTimeout(() => (this.crashes = Math.max(0, this.crashes - 1)), 60_000).unref();
  }

  private answerSpec(slot: Slot, m: Extract<FromWorker, { type: "spec?" }>): void {
    const answer = (reply: Extract<ToWorker, { type: "spec" }>) => {
      if (slot.alive) slot.worker.postMessage(reply);
    };
    const load = this.opts.loadSpec ?? (async () => null);
    load(m.endpointId, m.version).then(
      (spec) => answer({ type: "spec", id: m.id, spec }),
      (e: unknown) => answer({ type: "spec", id: m.id, error: String((e as Error)?.message ?? e) }),
    );
  }

  private send(slot: Slot, msg: ToWorker, transfer: ArrayBuffer[] = []): Promise<FromWorker> {
    if (!slot.alive) return Promise.reject(new WorkerCrashedError());
    return new Promise((resolve, reject) => {
      slot.pending.set(msg.id, { resolve, reject });
      slot.worker.postMessage(msg, transfer);
    });
  }

  private loadOn(slot: Slot, key: string, bytes: Uint8Array): Promise<void> {
    const existing = slot.loads.get(key);
    if (existing) return existing;
    const p = this.send(slot, { type: "load", id: this.nextId++, key, bytes }).then((m) => {
      if (m.type === "error") throw new RunError(m.message);
      slot.loaded.add(key);
    });
    p.catch(() => slot.loads.delete(key));
    slot.loads.set(key, p);
    return p;
  }

  /** Loads a model on every worker; rejects (and unloads it everywhere) if any worker cannot load it. */
  async load(key: string, bytes: Uint8Array): Promise<void> {
    this.models.set(key, bytes);
    try {
      // A worker being replaced right now loads every model in `models` when it starts.
      await Promise.all(this.slots.filter((s) => s.alive).map((s) => this.loadOn(s, key, bytes)));
    } catch (e) {
      await this.unload(key);
      throw e;
    }
  }

  /** Call only when no run of this key is in flight (the session manager counts them). */
  async unload(key: string): Promise<void> {
    this.models.delete(key);
    await Promise.all(
      this.slots.map(async (s) => {
        const loading = s.loads.get(key);
        s.loads.delete(key);
        s.loaded.delete(key);
        if (!loading || !s.alive) return;
        await loading.catch(() => {});
        await this.send(s, { type: "unload", id: this.nextId++, key }).catch(() => {});
      }),
    );
  }

  /** Runs on the least busy worker that has the model loaded; tensors' buffers are transferred (detached here). */
  async run(key: string, inputs: WireTensor[], opts: { json?: boolean; sketch?: SketchRange[] } = {}, waitingSince?: number): Promise<WireTensor[]> {
    if (!this.models.has(key)) throw new Error(`model ${key} is not loaded`);
    let best: Slot | undefined;
    for (const s of this.slots) {
      if (!s.alive || !s.loaded.has(key)) continue;
      if (!best || s.running < best.running) best = s;
    }
    if (!best) {
      // Every worker that had the model is restarting: wait (yielding to the event loop) for one to have it again.
      if (Date.now() - (waitingSince ?? Date.now()) > RESTART_WAIT_MS || this.closed) throw new WorkerCrashedError();
      await new Promise((r) => setTimeout(r, 10));
      return this.run(key, inputs, opts, waitingSince ?? Date.now());
    }
    const transfer = new Set<ArrayBuffer>();
    for (const t of inputs) if (!Array.isArray(t.data)) transfer.add(t.data.buffer as ArrayBuffer);
    best.running++;
    try {
      const m = await this.send(best, { type: "run", id: this.nextId++, key, inputs, json: opts.json, sketch: opts.sketch }, [...transfer]);
      if (m.type === "error") throw new RunError(m.message);
      return (m.type === "ok" && m.outputs) || [];
    } finally {
      best.running--;
    }
  }

  /**
   * Every live worker's drift sketches changed since its last drain (each worker's records still waiting for a spec
   * included). A worker that dies meanwhile is left out: its sketches since its last drain are lost with it.
   */
  async drainSketches(now: number): Promise<WorkerSketchRows[]> {
    const drained = await Promise.all(
      this.slots.map(async (s) => {
        const m = await this.send(s, { type: "drain", id: this.nextId++, now }).catch(() => undefined);
        return m?.type === "drained" ? { source: `w${s.serial}`, rows: m.rows, stats: m.stats } : undefined;
      }),
    );
    return drained.filter((d) => d !== undefined);
  }

  /** Makes one worker exit as a crash would (tests): runs queued on it fail, the pool replaces it. */
  async killWorker(index: number): Promise<void> {
    const slot = this.slots[index];
    const exited = new Promise((r) => slot.worker.once("exit", r));
    slot.worker.postMessage({ type: "exit", id: this.nextId++, code: 1 } satisfies ToWorker);
    await exited;
  }

  /** Resolves once every worker is up with every model loaded (after a restart). */
  async settled(): Promise<void> {
    for (;;) {
      const slots = this.slots;
      await Promise.all(slots.flatMap((s) => [...s.loads.values()].map((p) => p.catch(() => {}))));
      if (slots.every((s, i) => s === this.slots[i] && s.alive && [...this.models.keys()].every((k) => s.loaded.has(k)))) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Asks each worker to exit once its current run is done. `terminate()` is only the last resort: stopping a thread
   * in the middle of onnxruntime's native run aborts the whole process.
   */
  async close(timeoutMs = 30_000): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(async (s) => {
        if (!s.alive) return;
        const exited = new Promise<void>((r) => s.worker.once("exit", () => r()));
        s.worker.postMessage({ type: "exit", id: this.nextId++, code: 0 } satisfies ToWorker);
        const timer = setTimeout(() => void s.worker.terminate(), timeoutMs);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
