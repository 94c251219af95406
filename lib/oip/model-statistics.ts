/**
 * `GET /v2/models/{name}[/versions/{v}]/stats`: Triton's statistics extension, which tritonclient's
 * `get_inference_statistics` and perf_analyzer read for the server's side of a benchmark. Durations are nanoseconds,
 * counts since the data plane started (or since this version was first served). What Ferry measures maps onto it so:
 * success / fail are answered requests (2xx / other) with their whole latency, body read to answer; queue is a request's
 * wait for its batch to start; compute_infer is the rest of a successful request's time (the run in the session worker,
 * splitting and answering); compute_input / compute_output are inside compute_infer and count zero; inference_count is
 * rows served and execution_count onnxruntime runs (a batch of stacked requests is one). Pure.
 */

/** Per endpoint and version, kept by the data plane's recorder (milliseconds, as it measures them). */
export interface VersionCounters {
  ok: number;
  okMs: number;
  fail: number;
  failMs: number;
  /** Successful requests that waited in a batch queue, and their wait. */
  queued: number;
  queueMs: number;
  /** Date.now() of the last answered request; 0 if none. */
  lastMs: number;
}

export const emptyCounters = (): VersionCounters => ({ ok: 0, okMs: 0, fail: 0, failMs: 0, queued: 0, queueMs: 0, lastMs: 0 });

type Duration = { count: number; ns: number };

export interface ModelStat {
  name: string;
  version: string;
  last_inference: number;
  inference_count: number;
  execution_count: number;
  inference_stats: Record<"success" | "fail" | "queue" | "compute_input" | "compute_infer" | "compute_output" | "cache_hit" | "cache_miss", Duration>;
  batch_stats: never[];
}

const ns = (ms: number) => Math.round(ms * 1e6);

export function modelStat(o: { name: string; version: number; counters: VersionCounters; rows: number; runs: number }): ModelStat {
  const c = o.counters;
  const none = { count: 0, ns: 0 };
  return {
    name: o.name,
    version: String(o.version),
    last_inference: c.lastMs,
    inference_count: o.rows,
    execution_count: o.runs,
    inference_stats: {
      success: { count: c.ok, ns: ns(c.okMs) },
      fail: { count: c.fail, ns: ns(c.failMs) },
      queue: { count: c.queued, ns: ns(c.queueMs) },
      compute_input: none,
      compute_infer: { count: c.ok, ns: Math.max(0, ns(c.okMs) - ns(c.queueMs)) },
      compute_output: none,
      cache_hit: none,
      cache_miss: none,
    },
    batch_stats: [],
  };
}
