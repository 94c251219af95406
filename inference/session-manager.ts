/**
 * Loaded model versions: load (artifact read, sha256 checked) → warm (one real inference on zeros) → ready →
 * drain (no new requests, in-flight ones finish) → unload. Sessions are reference-counted by in-flight requests
 * and released only at zero, so a hot swap loses nothing. A failed load is remembered (state "failed" with the
 * reason) and retried with backoff; it never replaces a version that is serving.
 */
import type { Logger } from "pino";
import { readArtifactVerified } from "@/lib/artifacts/read-artifact-verified";
import { cleanOrtMessage } from "@/lib/onnx/load-signature";
import { servableModel } from "@/lib/onnx/servable-model";
import type { OipTensor } from "@/lib/oip/oip-tensor";
import { typedArrayFor, type ModelSignature } from "@/lib/tensor/datatypes";
import { Batcher, type BatcherOptions, type Tensors } from "./batcher";
import { RunError, type WorkerPool } from "./worker-pool";
import type { SketchRange, WireTensor } from "./worker-protocol";

export type VersionState = "loading" | "warming" | "ready" | "failed" | "draining";

/** What the session manager needs to know about a version (from the database). */
export interface VersionRef {
  /** ModelVersion.id: the session key. */
  id: string;
  model: string;
  version: number;
  sha256: string;
  storageKey: string;
  signature: ModelSignature;
}

export interface LoadedVersion {
  ref: VersionRef;
  state: VersionState;
  message?: string;
  batcher: Batcher;
  inFlight: number;
}

interface Entry extends LoadedVersion {
  wanted: boolean;
  loading?: Promise<void>;
  failures: number;
  retryAt: number;
}

/** One request counted against a ready version until `release` (once; later calls do nothing). */
export class Lease {
  private released = false;

  constructor(
    private readonly manager: SessionManager,
    readonly version: Entry,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    this.manager.released(this.version);
  }
}

export interface SessionManagerOptions {
  pool: WorkerPool;
  log: Logger;
  batching: (ref: VersionRef) => BatcherOptions;
  /** Reads the artifact and checks its sha256 (defaults to lib/artifacts). */
  readArtifact?: (ref: VersionRef) => Promise<Uint8Array>;
  onStateChange?: () => void;
  onRun?: (ref: VersionRef, rows: number, requests: number) => void;
}

export class SessionManager {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly opts: SessionManagerOptions) {}

  get(id: string): LoadedVersion | undefined {
    return this.entries.get(id);
  }

  all(): LoadedVersion[] {
    return [...this.entries.values()];
  }

  /**
   * Makes the set of wanted versions exactly `refs`: starts loads for new ones (and retries due failed ones),
   * marks the others draining and unloads each once its last request has finished. Resolves when every wanted
   * version has settled (ready or failed).
   */
  async reconcile(refs: VersionRef[]): Promise<void> {
    const wanted = new Map(refs.map((r) => [r.id, r]));
    for (const [id, e] of this.entries) {
      if (!wanted.has(id) && e.wanted) {
        e.wanted = false;
        if (e.state === "ready") e.state = "draining";
        this.maybeUnload(e);
      }
    }
    const waits: Promise<void>[] = [];
    for (const ref of wanted.values()) {
      let e = this.entries.get(ref.id);
      if (e && !e.wanted) {
        e.wanted = true;
        if (e.state === "draining") e.state = "ready";
      }
      if (!e) {
        e = {
          ref,
          state: "loading",
          batcher: new Batcher(
            ref.signature,
            (inputs, fresh, json, sketch) => this.run(ref, inputs, fresh, json, sketch),
            this.opts.batching(ref),
            (rows, n) => this.opts.onRun?.(ref, rows, n),
            (e) => e instanceof RunError,
          ),
          inFlight: 0,
          wanted: true,
          failures: 0,
          retryAt: 0,
        };
        this.entries.set(ref.id, e);
      } else {
        e.batcher.options = this.opts.batching(ref);
      }
      if (e.state === "failed" && !e.loading && Date.now() >= e.retryAt) e.state = "loading";
      if (e.state === "loading" && !e.loading) e.loading = this.load(e).finally(() => (e.loading = undefined));
      if (e.loading) waits.push(e.loading);
    }
    this.opts.onStateChange?.();
    await Promise.all(waits);
  }

  /** Counts a request against a ready version; call the lease's release when its answer is written. */
  acquire(id: string): Lease | undefined {
    const e = this.entries.get(id);
    if (!e || e.state !== "ready") return undefined;
    e.inFlight++;
    return new Lease(this, e);
  }

  /** A lease ended (its answer was written): the version may now unload if it is draining. */
  released(e: Entry): void {
    e.inFlight--;
    this.maybeUnload(e);
  }

  /** Waits until no request is in flight on any version (drain on shutdown). */
  async drained(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while ([...this.entries.values()].some((e) => e.inFlight > 0)) {
      if (Date.now() > until) return false;
      await new Promise((r) => setTimeout(r, 10));
    }
    return true;
  }

  private async load(e: Entry): Promise<void> {
    const { ref } = e;
    const started = performance.now();
    try {
      e.state = "loading";
      e.message = undefined;
      const read = this.opts.readArtifact ?? ((r: VersionRef) => readArtifactVerified(r.storageKey, r.sha256));
      // The stored upload, checked; onnxruntime gets its servable form (a ZipMap's output as its probabilities tensor).
      const { bytes } = servableModel(await read(ref));
      await this.opts.pool.load(ref.id, bytes);
      e.state = "warming";
      this.opts.onStateChange?.();
      try {
        await this.run(ref, zeros(ref.signature), true);
      } catch (err) {
        // The model loaded and onnxruntime ran it; zeros may simply be invalid input for it (indices, say).
        e.message = `warm-up on zeros failed: ${messageOf(err)}`;
      }
      if (!e.wanted) {
        await this.opts.pool.unload(ref.id);
        this.entries.delete(ref.id);
        return;
      }
      e.state = "ready";
      e.failures = 0;
      this.opts.log.info({ model: ref.model, version: ref.version, ms: Math.round(performance.now() - started) }, "model version ready");
    } catch (err) {
      e.state = "failed";
      e.message = messageOf(err);
      e.failures++;
      e.retryAt = Date.now() + Math.min(300_000, 10_000 * 2 ** (e.failures - 1));
      this.opts.log.error({ model: ref.model, version: ref.version, reason: e.message }, "model version failed to load");
      if (!e.wanted) this.entries.delete(ref.id);
    } finally {
      this.opts.onStateChange?.();
    }
  }

  private maybeUnload(e: Entry): void {
    if (e.wanted || e.inFlight > 0 || e.loading) return;
    if (this.entries.get(e.ref.id) !== e) return;
    this.entries.delete(e.ref.id);
    e.batcher.failQueued(new Error("this model version was unloaded"));
    if (e.state !== "failed") void this.opts.pool.unload(e.ref.id).catch(() => {});
    this.opts.onStateChange?.();
  }

  private async run(ref: VersionRef, inputs: Tensors, fresh: boolean, json = false, sketch: SketchRange[] = []): Promise<Tensors> {
    const wire: WireTensor[] = [];
    // Inputs in the signature's order; a copy unless built for this run, since buffers are transferred.
    for (const spec of ref.signature.inputs) {
      const t = inputs.get(spec.name);
      if (!t) continue;
      const data = fresh || Array.isArray(t.data) ? t.data : t.data.slice();
      wire.push({ name: spec.name, datatype: t.datatype, shape: t.shape, data });
    }
    const outputs = await this.opts.pool.run(ref.id, wire, { json, sketch: sketch.length > 0 ? sketch : undefined });
    return new Map(outputs.map((o) => [o.name, { datatype: o.datatype, shape: o.shape, data: o.data, json: o.json }]));
  }
}

function zeros(signature: ModelSignature): Tensors {
  const map = new Map<string, OipTensor>();
  for (const spec of signature.inputs) {
    const shape = spec.shape.map((d) => (d < 0 ? 1 : d));
    const count = shape.reduce((a, d) => a * d, 1);
    const Ctor = typedArrayFor(spec.datatype);
    map.set(spec.name, { datatype: spec.datatype, shape, data: Ctor ? new Ctor(count) : new Array<string>(count).fill("") });
  }
  return map;
}

function messageOf(e: unknown): string {
  // Never a file path in a message an operator (or a client) may see.
  if ((e as NodeJS.ErrnoException)?.code === "ENOENT") return "the artifact file is missing from the artifact store";
  if ((e as NodeJS.ErrnoException)?.code) return `the artifact could not be read (${(e as NodeJS.ErrnoException).code})`;
  return cleanOrtMessage(String((e as Error)?.message ?? e));
}
