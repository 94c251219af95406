/**
 * Everything the data plane records, kept off the request path: the request handler calls `record*` (a few map
 * updates) after answering; Prometheus metrics live in the plane's own registry, beside plain per endpoint-version
 * counters for Triton's statistics extension (`versionStat`); per-minute rollups and sampled prediction logs are flushed
 * to Postgres by a timer.
 *
 * Rollups are idempotent: each flush SETS this instance's cumulative values for (endpoint, version, minute), so a
 * flush that is retried after a timeout cannot double count. Prediction logs go through a bounded buffer; when it
 * is full a row is dropped and counted (`ferry_prediction_log_dropped_total`), never waited for.
 *
 * Drift sketches (lib/drift/sketch-recorder.ts) are kept per endpoint, served version, minute and feature for every
 * row an endpoint's own traffic ran through a version that has a reference dataset — by the session workers, which
 * sketch each run after answering it (worker-sketches.ts) — and drained from them and flushed with the rollups, each
 * worker's under an instance id of its own (cumulative per minute, so a retried flush overwrites rather than adds).
 */
import crypto from "node:crypto";
import client from "prom-client";
import type { Logger } from "pino";
import type { Db } from "@/lib/db/client";
import { bucketIndex, emptyBuckets } from "@/lib/metrics/latency-buckets";
import type { RollupCounters } from "@/lib/metrics/rollup-counters";
import type { OipTensor } from "@/lib/oip/oip-tensor";
import { toLoggedTensors } from "@/lib/oip/logged-tensors";
import { FastCounter, FastHistogram, type CounterChild, type HistogramChild } from "./fast-metrics";
import { TokenBucket } from "@/lib/limits/token-buckets";
import { sketchKeyOf, type DriftSketchRow } from "@/lib/drift/sketch-recorder";
import { flushSketches } from "@/lib/drift/flush-sketches";
import type { WorkerSketchRows } from "./worker-pool";
import type { WorkerSketchStats } from "./worker-protocol";
import { insertLogChunk, nextLogChunk, type LogRow } from "./prediction-log";
import { emptyCounters, modelStat, type ModelStat, type VersionCounters } from "@/lib/oip/model-statistics";

const SECONDS_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Rollup rows kept while the database is unreachable (oldest dropped beyond this). */
const MAX_ROLLUP_KEYS = 20_000;
/** Drift sketches kept while the database is unreachable (beyond this a failed flush's rows are dropped, counted). */
const MAX_HELD_SKETCHES = 20_000;

export interface RequestRecord {
  endpointId: string;
  endpoint: string;
  version: number;
  variant?: string;
  status: number;
  latencyMs: number;
  queueMs?: number;
  batchRows?: number;
  requestId: string;
  inputs?: Map<string, OipTensor>;
  outputs?: Map<string, OipTensor>;
}

interface Rollup extends RollupCounters {
  endpointId: string;
  version: number;
  minute: Date;
  dirty: boolean;
}

export interface RecorderOptions {
  db: Db;
  instanceId: string;
  log: Logger;
  logSampleRate: number;
  /** At most this many prediction log rows a second (one second's worth at once); default every sampled request. */
  logMaxPerSecond?: number;
  logBufferSize?: number;
  flushMs?: number;
  /** Where the drift sketches are kept (the worker pool); without it none are flushed. */
  sketches?: { drainSketches(now: number): Promise<WorkerSketchRows[]> };
  /** Sketches kept through failed flushes (default 20,000). */
  maxHeldSketches?: number;
}

/** A source's sketch rows by sketch: a later snapshot of a sketch replaces the earlier one (they are cumulative). */
type SketchRows = Map<string, DriftSketchRow>;

export class Recorder {
  readonly registry = new client.Registry();
  private readonly requests: FastCounter;
  private readonly duration: FastHistogram;
  private readonly queue: FastHistogram;
  private readonly batchSize: FastHistogram;
  private readonly dropped: client.Counter;
  private readonly overCap: client.Counter;
  private readonly logBudget = new TokenBucket(() => performance.now());
  readonly loadedVersions: client.Gauge<"state">;
  readonly queueDepth: client.Gauge<"model" | "version">;
  private readonly rollups = new Map<string, Rollup>();
  private readonly childCache = new Map<string, { codes: Map<number, CounterChild>; duration: HistogramChild; queue: HistogramChild; counters: VersionCounters }>();
  private logs: LogRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private nextFlush: Promise<void> | undefined;
  /** Sketches of a failed flush, by source, written with the next one. */
  private heldSketches = new Map<string, SketchRows>();
  private heldSketchCount = 0;
  private sketchRowsDropped = 0;
  /** Each worker's sketch statistics as of the last drain. */
  private sketchStats: WorkerSketchStats[] = [];

  constructor(private readonly opts: RecorderOptions) {
    const registers = [this.registry];
    const sketchStats = () => this.sketchStats;
    const dropped = () => this.sketchRowsDropped;
    new client.Gauge({ name: "ferry_drift_sketches", help: "Per-minute drift sketches held in memory (as of the last flush)", registers, collect() { this.set(sketchStats().reduce((n, st) => n + st.sketches, 0)); } });
    new client.Gauge({ name: "ferry_drift_dropped", help: "Records not sketched (memory bound reached, minute already flushed) and sketch rows dropped after failed flushes", registers, collect() { this.set(sketchStats().reduce((n, st) => n + st.dropped + st.late, dropped())); } });
    new client.Gauge({ name: "ferry_drift_rows_skipped", help: "Rows served and not sketched: past FERRY_DRIFT_VALUES_PER_SECOND per version, the drift sketches take a sample (as of the last flush)", registers, collect() { this.set(sketchStats().reduce((n, st) => n + st.skippedRows, 0)); } });
    // The per-request and per-run series: children as plain objects (inference/fast-metrics.ts), the rest prom-client's.
    const registry = this.registry;
    this.requests = new FastCounter({ name: "ferry_requests_total", help: "Inference requests by endpoint, served version and HTTP status", labelNames: ["endpoint", "version", "code"], registry });
    this.duration = new FastHistogram({ name: "ferry_request_duration_seconds", help: "Inference request latency, body read to answer", labelNames: ["endpoint", "version"], buckets: SECONDS_BUCKETS, registry });
    this.queue = new FastHistogram({ name: "ferry_queue_duration_seconds", help: "Time a request waited for its batch to start", labelNames: ["endpoint", "version"], buckets: SECONDS_BUCKETS, registry });
    this.batchSize = new FastHistogram({ name: "ferry_batch_size", help: "Rows per onnxruntime run (per model version: several endpoints may share one)", labelNames: ["model", "version"], buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], registry });
    this.dropped = new client.Counter({ name: "ferry_prediction_log_dropped_total", help: "Sampled prediction log rows dropped because the buffer was full", registers });
    this.overCap = new client.Counter({ name: "ferry_prediction_log_over_cap_total", help: "Sampled requests not logged: past FERRY_LOG_MAX_PER_SECOND rows a second", registers });
    this.loadedVersions = new client.Gauge({ name: "ferry_loaded_versions", help: "Model versions known to this data plane, by state", labelNames: ["state"], registers });
    this.queueDepth = new client.Gauge({ name: "ferry_queue_depth", help: "Requests waiting for a batch, per model version", labelNames: ["model", "version"], registers });
    client.collectDefaultMetrics({ register: this.registry, prefix: "ferry_process_" });
  }

  start(): void {
    const every = this.opts.flushMs ?? 5_000;
    this.timer = setInterval(() => void this.flush(), every);
    this.timer.unref();
  }

  recordRequest(r: RequestRecord): void {
    const now = Date.now();
    const m = this.children(r.endpoint, r.version);
    const c = m.counters;
    if (r.status >= 200 && r.status < 300) {
      c.ok++;
      c.okMs += r.latencyMs;
      if (r.queueMs !== undefined) {
        c.queued++;
        c.queueMs += r.queueMs;
      }
    } else {
      c.fail++;
      c.failMs += r.latencyMs;
    }
    c.lastMs = now;
    let counter = m.codes.get(r.status);
    if (!counter) {
      counter = this.requests.labels({ endpoint: r.endpoint, version: String(r.version), code: String(r.status) });
      m.codes.set(r.status, counter);
    }
    counter.inc();
    m.duration.observe(r.latencyMs / 1000);
    if (r.queueMs !== undefined) m.queue.observe(r.queueMs / 1000);
    const roll = this.rollup(r.endpointId, r.version, now);
    roll.count++;
    if (r.status >= 500) roll.errors++;
    roll.latencySumMs += r.latencyMs;
    roll.latencyBuckets[bucketIndex(r.latencyMs)]++;
    roll.queueSumMs += r.queueMs ?? 0;
    roll.batchRows += r.batchRows ?? 0;
    if (r.status < 500 && this.opts.logSampleRate > 0 && Math.random() < this.opts.logSampleRate && this.withinLogCap()) this.enqueueLog(r);
  }

  /** Takes one row from the log's budget (a token bucket holding one second's worth), or counts the request over it. */
  private withinLogCap(): boolean {
    const max = this.opts.logMaxPerSecond ?? Infinity;
    if (max === Infinity || this.logBudget.takeOne(max) === 0) return true;
    this.overCap.inc();
    return false;
  }

  /** A request answered before any version was chosen (401, 404, 413…): Prometheus only. */
  recordRejected(endpoint: string, status: number): void {
    this.requests.inc({ endpoint, version: "", code: String(status) });
  }

  recordBatch(model: string, version: number, rows: number): void {
    this.batchSize.observe({ model, version: String(version) }, rows);
  }

  /** A shadow comparison, counted on the shadow version's row. */
  recordShadow(endpointId: string, shadowVersion: number, agree: boolean, absDiff: number): void {
    const roll = this.rollup(endpointId, shadowVersion);
    roll.shadowCount++;
    if (agree) roll.shadowAgree++;
    roll.shadowAbsDiff += Number.isFinite(absDiff) ? absDiff : 0;
  }

  /**
   * Triton's statistics of one version as served through one endpoint (GET …/stats). Counts restart if the recorder
   * forgets the pair (past 1,000 endpoint-version pairs it starts over, as it does for its Prometheus children cache).
   */
  versionStat(endpoint: string, model: string, version: number): ModelStat {
    const counters = this.childCache.get(`${endpoint}\0${version}`)?.counters ?? emptyCounters();
    const runs = this.batchSize.find({ model, version: String(version) });
    return modelStat({ name: endpoint, version, counters, rows: runs?.sum ?? 0, runs: runs?.count ?? 0 });
  }

  async metricsText(): Promise<string> {
    return this.registry.metrics();
  }

  /** Label children cached per endpoint and version: one map lookup per request instead of one per series. */
  private children(endpoint: string, version: number) {
    const key = `${endpoint}\0${version}`;
    let c = this.childCache.get(key);
    if (!c) {
      const labels = { endpoint, version: String(version) };
      c = { codes: new Map(), duration: this.duration.labels(labels), queue: this.queue.labels(labels), counters: emptyCounters() };
      if (this.childCache.size > 1_000) this.childCache.clear();
      this.childCache.set(key, c);
    }
    return c;
  }

  private rollup(endpointId: string, version: number, now = Date.now()): Rollup {
    const minute = Math.floor(now / 60_000) * 60_000;
    const key = `${endpointId}\0${version}\0${minute}`;
    let r = this.rollups.get(key);
    if (!r) {
      if (this.rollups.size >= MAX_ROLLUP_KEYS) this.rollups.delete(this.rollups.keys().next().value!);
      r = { endpointId, version, minute: new Date(minute), count: 0, errors: 0, latencySumMs: 0, latencyBuckets: emptyBuckets(), queueSumMs: 0, batchRows: 0, shadowCount: 0, shadowAgree: 0, shadowAbsDiff: 0, dirty: true };
      this.rollups.set(key, r);
    }
    r.dirty = true;
    return r;
  }

  private enqueueLog(r: RequestRecord): void {
    if (this.logs.length >= (this.opts.logBufferSize ?? 10_000)) {
      this.dropped.inc();
      return;
    }
    this.logs.push({
      logKey: crypto.randomUUID(),
      requestId: r.requestId,
      endpointId: r.endpointId,
      version: r.version,
      variant: r.variant ?? null,
      latencyMs: r.latencyMs,
      status: r.status,
      inputs: r.inputs ? toLoggedTensors(r.inputs) : null,
      outputs: r.outputs ? toLoggedTensors(r.outputs) : null,
      createdAt: new Date(),
    });
  }

  /**
   * Writes dirty rollups and buffered logs; on failure keeps them for the next attempt. Everything recorded before
   * the call is written when it resolves: a flush already running took its snapshot earlier, so the caller waits for
   * it and then for one more (shared by everyone who called meanwhile).
   */
  flush(): Promise<void> {
    if (this.flushing) {
      this.nextFlush ??= this.flushing.then(() => {
        this.nextFlush = undefined;
        return this.flush();
      });
      return this.nextFlush;
    }
    this.flushing = this.doFlush().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    const { db, instanceId } = this.opts;
    const dirty = [...this.rollups.entries()].filter(([, r]) => r.dirty);
    if (dirty.length > 0) {
      for (const [, r] of dirty) r.dirty = false;
      try {
        await db.$transaction(
          dirty.map(([, r]) => {
            const values = { count: r.count, errors: r.errors, latencySumMs: r.latencySumMs, latencyBuckets: [...r.latencyBuckets], queueSumMs: r.queueSumMs, batchRows: r.batchRows, shadowCount: r.shadowCount, shadowAgree: r.shadowAgree, shadowAbsDiff: r.shadowAbsDiff };
            return db.metricRollup.upsert({
              where: { endpointId_version_minute_instanceId: { endpointId: r.endpointId, version: r.version, minute: r.minute, instanceId } },
              create: { endpointId: r.endpointId, version: r.version, minute: r.minute, instanceId, ...values },
              update: values,
            });
          }),
        );
      } catch (e) {
        for (const [, r] of dirty) r.dirty = true;
        this.opts.log.warn({ err: e }, "metric rollup flush failed; will retry");
      }
    }
    // Minutes that are over and written need no more memory.
    const current = Math.floor(Date.now() / 60_000) * 60_000;
    for (const [key, r] of this.rollups) if (!r.dirty && r.minute.getTime() < current - 60_000) this.rollups.delete(key);

    // A turn of the event loop between the phases: their JavaScript (Prisma building statements, the logs' JSON) runs
    // on the HTTP thread, and the embedded database answers from its worker as soon as it can, so without these turns
    // a flush could still come back to back in one hold.
    await nextTurn();
    await this.flushDrift(Date.now());
    await nextTurn();

    while (this.logs.length > 0) {
      const chunk = nextLogChunk(this.logs);
      try {
        await insertLogChunk(db, chunk);
        this.logs.splice(0, chunk.rows.length);
      } catch (e) {
        this.opts.log.warn({ err: e, rows: this.logs.length }, "prediction log flush failed; will retry");
        break;
      }
      // Let requests in between chunks (building a chunk's JSON arrays is this thread's work).
      if (this.logs.length > 0) await nextTurn();
    }
  }

  /** Drains every worker's sketches and writes each worker's rows under its own instance id; keeps them if that fails. */
  private async flushDrift(now: number): Promise<void> {
    const sketches = this.opts.sketches;
    if (!sketches) return;
    let drained: WorkerSketchRows[];
    try {
      drained = await sketches.drainSketches(now);
    } catch (e) {
      this.opts.log.warn({ err: e }, "drift sketches could not be drained; will retry");
      return;
    }
    this.sketchStats = drained.map((d) => d.stats);
    const bySource = this.heldSketches;
    this.heldSketches = new Map();
    this.heldSketchCount = 0;
    // Held snapshots first, then the newer ones drained now: a sketch in both is written once, as drained now.
    for (const d of drained) {
      if (d.rows.length === 0) continue;
      let rows = bySource.get(d.source);
      if (!rows) bySource.set(d.source, (rows = new Map()));
      for (const row of d.rows) rows.set(sketchKeyOf(row), row);
    }
    for (const [source, rows] of bySource) {
      try {
        await flushSketches(this.opts.db, [...rows.values()], `${this.opts.instanceId}/${source}`);
      } catch (e) {
        this.holdSketches(source, rows);
        this.opts.log.warn({ err: e, rows: rows.size }, "drift sketch flush failed; will retry");
      }
    }
  }

  /**
   * Sketches of a failed flush, for the next one. Bounded by sketches, not snapshots: through a long outage every flush
   * fails with a new snapshot of the same sketches, and those replace the held ones instead of crowding out the
   * sketches of minutes that have ended (whose last snapshot is the only one).
   */
  private holdSketches(source: string, rows: SketchRows): void {
    const room = (this.opts.maxHeldSketches ?? MAX_HELD_SKETCHES) - this.heldSketchCount;
    const kept: SketchRows = new Map();
    for (const [key, row] of rows) {
      if (kept.size >= room) break;
      kept.set(key, row);
    }
    this.sketchRowsDropped += rows.size - kept.size;
    if (kept.size === 0) return;
    this.heldSketches.set(source, kept);
    this.heldSketchCount += kept.size;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await this.flush();
    // Minutes still open go out too: as if the grace period had passed.
    await this.flushDrift(Date.now() + 10 * 60_000);
  }
}

/** Resolves on the next turn of the event loop (after pending I/O), unlike an awaited promise that settles at once. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
