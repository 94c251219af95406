/**
 * The data plane: an Open Inference Protocol (KServe V2) HTTP server around onnxruntime sessions held in worker
 * threads. Lifecycle: load desired state → load and warm versions → ready → (swaps while serving) → close():
 * readiness turns 503, in-flight requests finish, buffers flush, workers stop. See inference/README.md.
 */
import crypto from "node:crypto";
import os from "node:os";
import type { Logger } from "pino";
import { config } from "@/lib/config";
import { getDb, type Db } from "@/lib/db/client";
import { loadDriftSpec } from "@/lib/drift/load-drift-spec";
import { lockKey } from "@/lib/jobs/with-advisory-lock";
import { logger as rootLogger } from "@/lib/logger";
import { buildModelMetadata, buildServerMetadata, byNameThenVersion } from "@/lib/oip/metadata";
import { buildModelConfig } from "@/lib/oip/model-config";
import { modelControlRefusal, parseIndexRequest, repositoryIndex } from "@/lib/oip/model-repository";
import { OipError } from "@/lib/oip/oip-error";
import { ROUTING_DEFAULTS } from "@/lib/routing/normalize-endpoint-config";
import { ALL_STATS_NAME } from "@/lib/registry/model-name";
import { createAuthorizer, missingTokenError, type Authorizer } from "./authorize";
import { ServingState } from "./data-plane";
import { dbStateSource, followDesiredState, type EndpointSpec, type StateSource } from "./desired-state";
import { BodyParser, DEFAULT_OFFLOAD_BYTES } from "./body-parser";
import { handleInfer, sendError, sendJson, type InferContext } from "./handle-infer";
import { startGrpcServer } from "./grpc/grpc-server";
import { Http1Server, type Http1Reply, type Http1Request, type Http1RequestHead } from "./http1/http1-server";
import { Recorder } from "./recorder";
import { EndpointStateReporter } from "./report-endpoint-state";
import { SessionManager, type SessionManagerOptions, type VersionRef } from "./session-manager";
import { WorkerPool } from "./worker-pool";
import type { BatcherOptions } from "./batcher";

export const FERRY_VERSION = "0.1.0";

export interface StartDataPlaneOptions {
  host?: string;
  /** 0 = any free port (tests). */
  port?: number;
  /** Session worker threads (default config().inferenceWorkers). */
  workers?: number;
  db?: Db;
  logger?: Logger;
  /** Names this process in EndpointState and MetricRollup rows (default host:pid:random). */
  instanceId?: string;
  /** Where desired state is read from (default: the database). Tests substitute one that can fail. */
  stateSource?: StateSource;
  /** Postgres URL for LISTEN (default config().databaseUrl; null = no LISTEN, in-process events only). */
  databaseUrl?: string | null;
  resyncMs?: number;
  flushMs?: number;
  logSampleRate?: number;
  /** Prediction log rows per second at most (default config().logMaxPerSecond). */
  logMaxPerSecond?: number;
  /** The drift sketch budget, values per second per version, shared by the workers (default config().driftValuesPerSecond). */
  driftValuesPerSecond?: number;
  maxRequestBytes?: number;
  /**
   * JSON bodies of this many bytes or more are parsed by the parse worker, off the HTTP thread (default
   * DEFAULT_OFFLOAD_BYTES, 512 KiB; Infinity: every body on the HTTP thread).
   */
  parseOffloadBytes?: number;
  /** Reads a version's artifact (default: the artifact store, sha256 checked). Tests wrap it to hold a load back. */
  readArtifact?: SessionManagerOptions["readArtifact"];
  /** Replaces the token check (tests of the protocol alone); default: bearer tokens with the infer scope. */
  authorizer?: Authorizer;
  /**
   * Also serve the Open Inference Protocol over gRPC on this port (0 = any free port; `ferry start` passes
   * FERRY_GRPC_PORT). Default: no gRPC server.
   */
  grpcPort?: number;
  /** How long close() waits for in-flight requests (default 30 s). */
  drainTimeoutMs?: number;
  /**
   * How long close() keeps accepting requests after readiness turns 503, so load balancers stop sending before the
   * listener closes (Kubernetes removes a pod from its endpoints a moment after it stops being ready). Default 1 s.
   */
  shutdownGraceMs?: number;
}

export interface DataPlane {
  port: number;
  /** The gRPC server's port, when one was asked for (StartDataPlaneOptions.grpcPort). */
  grpcPort: number | undefined;
  ready(): boolean;
  close(): Promise<void>;
  /** Re-read desired state now (tests; the listener and resync do this on their own). */
  refresh(): Promise<void>;
  /** Internals for tests and the bench. */
  readonly internals: { pool: WorkerPool; sessions: SessionManager; serving: ServingState; recorder: Recorder; bodies: BodyParser };
}

export async function startDataPlane(opts: StartDataPlaneOptions = {}): Promise<DataPlane> {
  const c = config();
  const log = (opts.logger ?? rootLogger()).child({ plane: "inference" });
  const db = opts.db ?? (await getDb());
  const instanceId = opts.instanceId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
  const maxRequestBytes = opts.maxRequestBytes ?? c.maxRequestBytes;
  const workers = opts.workers ?? c.inferenceWorkers;

  // The session workers keep the drift sketches (worker-sketches.ts): they ask for specs here, where the database is.
  const pool = new WorkerPool(workers, {
    log,
    loadSpec: (endpointId, version) => loadDriftSpec(db, endpointId, version),
    sketchSeed: lockKey(instanceId),
    sketchValuesPerSecond: opts.driftValuesPerSecond ?? c.driftValuesPerSecond,
  });
  const recorder = new Recorder({ db, instanceId, log, logSampleRate: opts.logSampleRate ?? c.logSampleRate, logMaxPerSecond: opts.logMaxPerSecond ?? c.logMaxPerSecond, flushMs: opts.flushMs, sketches: pool });
  // The callbacks below run only once desired state is applied, after `serving` and `reporter` exist.
  const sessions: SessionManager = new SessionManager({
    pool,
    log,
    readArtifact: opts.readArtifact,
    batching: (ref): BatcherOptions => batchingFor(serving, ref, workers),
    onStateChange: () => reporter.schedule(),
    onRun: (ref, rows) => recorder.recordBatch(ref.model, ref.version, rows),
  });
  const serving: ServingState = new ServingState(sessions, log);
  const reporter = new EndpointStateReporter(db, instanceId, () => serving.report(), log);
  const authorizer = opts.authorizer ?? createAuthorizer(db);

  const bodies = new BodyParser(opts.parseOffloadBytes ?? DEFAULT_OFFLOAD_BYTES, log);
  const ctx: InferContext = { serving, sessions, recorder, log, bodies, maxBodyBytes: maxRequestBytes };

  const server = new Http1Server((req, res) => void route(req, res).catch((e) => sendError(res, e, log)), {
    admit,
    maxBodyBytes: maxRequestBytes,
    tooLargeMessage: (limit) => `request body is larger than the limit of ${limit} bytes (FERRY_MAX_REQUEST_BYTES)`,
    onHandlerError: (e) => log.error({ err: e }, "unexpected error while routing a request"),
  });

  /**
   * Model routes need a token with the `infer` scope (and infer takes from the token's rate limit): checked when the
   * head arrives, so a refused client's body is never read. The principal reaches the route as `req.admission`.
   */
  function admit(head: Http1RequestHead, res: Http1Reply): unknown {
    const path = pathOf(head.url);
    let m: ModelRoute | null;
    try {
      m = modelRouteOf(path);
    } catch (e) {
      return sendError(res, e, log);
    }
    if (!m) return REPOSITORY_ROUTE.test(path) ? authorizer.authorize(head.headers.authorization, "").catch((e) => void sendError(res, e, log)) : undefined;
    const { name, action } = m;
    const infers = action === "infer" || action === "predict";
    const limit = infers ? serving.active.get(name)?.config.limits.rateLimitPerSecond : undefined;
    return authorizer.authorize(head.headers.authorization, name, limit).catch((e) => {
      const status = sendError(res, e, log);
      if (infers) recorder.recordRejected(serving.active.has(name) ? name : "_unknown", status);
    });
  }

  async function route(req: Http1Request, res: Http1Reply): Promise<void> {
    const path = pathOf(req.url);
    const method = req.method;
    if (path === "/v2/health/live") return sendJson(res, 200, { live: true });
    if (path === "/v2/health/ready") {
      const ok = planeReady();
      return sendJson(res, ok ? 200 : 503, { ready: ok, ...(ok ? {} : { reason: server.draining ? "shutting down" : "loading models" }) });
    }
    if (path === "/v2" || path === "/v2/") return sendJson(res, 200, buildServerMetadata(FERRY_VERSION));
    if (path === "/metrics") {
      updateGauges();
      const text = await recorder.metricsText();
      return res.send(200, { "content-type": recorder.registry.contentType }, text);
    }
    const m = modelRouteOf(path);
    if (!m) {
      const repository = REPOSITORY_ROUTE.exec(path);
      if (repository) return repositoryRoute(req, res, repository);
      throw new OipError(404, `no such route: ${method} ${path.slice(0, 200)}`);
    }
    if (m.name === ALL_STATS_NAME && m.version === undefined && m.action === undefined) {
      if (method !== "GET" && method !== "HEAD") throw new OipError(405, "use GET for statistics");
      if (!req.admission) throw missingTokenError();
      return sendJson(res, 200, { model_stats: allStats() });
    }
    const { name, version, action } = m;
    if (action === "infer") {
      if (method !== "POST") throw new OipError(405, "use POST for infer");
      return handleInfer(ctx, req, res, name, version);
    }
    if (action === "predict") {
      if (method !== "POST") throw new OipError(405, "use POST for predict");
      return handleInfer(ctx, req, res, name, undefined, "v1");
    }
    if (method !== "GET" && method !== "HEAD") throw new OipError(405, `use GET for ${action === undefined || action === "v1" ? "model metadata" : action}`);
    if (!req.admission) throw missingTokenError();
    const { spec, ref, versions } = modelOf(name, version);
    if (action === "ready") {
      const ok = modelReady(spec, ref, version);
      return sendJson(res, ok ? 200 : 503, { name, ...(version !== undefined && { version }), ready: ok });
    }
    if (action === "v1") {
      const ok = modelReady(spec, ref, undefined);
      return sendJson(res, ok ? 200 : 503, { name, ready: ok });
    }
    if (action === "config") return sendJson(res, 200, modelConfig(name, ref));
    if (action === "stats") return sendJson(res, 200, { model_stats: versionStats(spec, versions) });
    return sendJson(res, 200, buildModelMetadata({ name, versions, signature: ref.signature }));
  }

  /** Triton's model configuration of the version a call is about, with the batching it is served with. */
  function modelConfig(name: string, ref: VersionRef) {
    const options = sessions.get(ref.id)?.batcher.options ?? batchingFor(serving, ref, workers);
    return buildModelConfig({ name, signature: ref.signature, maxBatchSize: options.maxBatchSize, maxQueueDelayMs: options.maxQueueDelayMs });
  }

  /** Triton's statistics of these versions of an endpoint. */
  function versionStats(spec: EndpointSpec, versions: number[]) {
    return versions.map((v) => spec.versions.get(v)!).map((r) => recorder.versionStat(spec.name, r.model, r.version));
  }

  /** An endpoint (404 when unknown), the version a model call is about (pinned, else the heaviest variant's) and its versions. */
  function modelOf(name: string, version: string | undefined): { spec: EndpointSpec; ref: VersionRef; versions: number[] } {
    const spec = serving.active.get(name);
    if (!spec) throw new OipError(404, `endpoint '${name}' not found`);
    const ref = version === undefined ? primaryRef(spec) : spec.versions.get(Number(version));
    if (!ref || (version !== undefined && !/^\d{1,9}$/.test(version))) {
      throw new OipError(404, `version '${String(version).slice(0, 40)}' of endpoint '${name}' is not served here`);
    }
    return { spec, ref, versions: version === undefined ? [...spec.versions.keys()].sort((a, b) => a - b) : [ref.version] };
  }

  /** Ready to take traffic: the first desired state is loaded and warm, and the plane is not shutting down. */
  function planeReady(): boolean {
    return !server.draining && serving.warm;
  }

  /** An endpoint is ready when every variant with traffic is; a pinned version when its session is. */
  function modelReady(spec: EndpointSpec, ref: VersionRef, version: string | undefined): boolean {
    return version === undefined ? endpointReady(spec) : sessions.get(ref.id)?.state === "ready";
  }

  /** Triton's model repository extension (lib/oip/model-repository.ts): the index, and a refusal of load / unload. */
  function repositoryRoute(req: Http1Request, res: Http1Reply, m: RegExpExecArray) {
    if (req.method !== "POST") throw new OipError(405, "use POST for the model repository");
    if (!req.admission) throw missingTokenError();
    const [, name, action] = m;
    if (name !== undefined) throw modelControlRefusal(safeDecode(name).slice(0, 100), action as "load" | "unload");
    return sendJson(res, 200, repositoryIndex(serving.report(), parseIndexRequest(req.body)));
  }

  /** Every served version of every endpoint, by endpoint name then version (Triton's `GET /v2/models/stats`). */
  function allStats() {
    const served = [...serving.active.values()].flatMap((spec) => [...spec.versions.values()].map((r) => ({ name: spec.name, model: r.model, version: r.version })));
    return served.sort(byNameThenVersion).map((s) => recorder.versionStat(s.name, s.model, s.version));
  }

  function endpointReady(spec: EndpointSpec): boolean {
    return spec.config.variants
      .filter((v) => v.weight > 0)
      .every((v) => {
        const ref = spec.versions.get(spec.resolved.variantVersions[v.name]);
        return !!ref && sessions.get(ref.id)?.state === "ready";
      });
  }

  function updateGauges() {
    recorder.loadedVersions.reset();
    recorder.queueDepth.reset();
    for (const v of sessions.all()) {
      recorder.loadedVersions.inc({ state: v.state });
      recorder.queueDepth.set({ model: v.ref.model, version: String(v.ref.version) }, v.batcher.depth);
    }
  }

  let started = false;
  const follower = await followDesiredState({
    source: opts.stateSource ?? dbStateSource(db),
    log,
    databaseUrl: opts.databaseUrl === null ? undefined : (opts.databaseUrl ?? c.databaseUrl),
    resyncMs: opts.resyncMs,
    onState: async (state) => {
      const settled = serving.apply(state).finally(() => reporter.schedule());
      reporter.schedule();
      // The first state is loaded before the plane listens; later ones switch in the background, so that a change
      // (new weights, say) never waits behind another version's load.
      if (!started) await settled;
      else settled.catch((e: unknown) => log.error({ err: e }, "applying the desired state failed"));
    },
  }).catch(async (e) => {
    await pool.close();
    reporter.close().catch(() => {});
    throw e;
  });
  started = true;
  recorder.start();

  const host = opts.host ?? c.inferenceHost;
  const { port } = await server.listen(opts.port ?? c.inferencePort, host);
  const grpcServer =
    opts.grpcPort === undefined
      ? undefined
      : await startGrpcServer(
          {
            ctx,
            authorizer,
            ready: planeReady,
            serverMetadata: () => buildServerMetadata(FERRY_VERSION),
            modelReady: (name, version) => {
              const { spec, ref } = modelOf(name, version);
              return modelReady(spec, ref, version);
            },
            modelMetadata: (name, version) => {
              const { ref, versions } = modelOf(name, version);
              return buildModelMetadata({ name, versions, signature: ref.signature });
            },
            modelConfig: (name, version) => modelConfig(name, modelOf(name, version).ref),
            statistics: (name, version) => {
              if (name === undefined) return allStats();
              const { spec, versions } = modelOf(name, version);
              return versionStats(spec, versions);
            },
            repositoryIndex: (ready) => repositoryIndex(serving.report(), { ready }),
          },
          { host, port: opts.grpcPort, maxMessageBytes: maxRequestBytes },
        ).catch(async (e: unknown) => {
          // Nothing is served without the gRPC server that was asked for: undo the start.
          server.stopListening();
          await follower.stop();
          await recorder.close().catch(() => {});
          await reporter.close();
          await pool.close();
          throw e;
        });
  log.info({ port, grpcPort: grpcServer?.port, workers, instanceId }, "data plane listening");

  let closing: Promise<void> | undefined;
  return {
    port,
    grpcPort: grpcServer?.port,
    ready: planeReady,
    /** Reads the desired state now and resolves once it is loaded and switched. */
    refresh: async () => {
      await follower.refresh();
      await serving.settled();
    },
    internals: { pool, sessions, serving, recorder, bodies },
    close() {
      closing ??= (async () => {
        server.draining = true;
        // Still serving (with `Connection: close`) while clients and balancers learn that we are going away.
        await new Promise((r) => setTimeout(r, opts.shutdownGraceMs ?? 1_000));
        server.stopListening();
        server.closeIdleConnections();
        const drainMs = opts.drainTimeoutMs ?? 30_000;
        const until = Date.now() + drainMs;
        const grpcClosed = grpcServer?.close(drainMs);
        while (server.inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
        server.closeAllConnections();
        await grpcClosed;
        await follower.stop();
        await sessions.drained(1_000);
        await recorder.close().catch((e) => log.warn({ err: e }, "final metrics flush failed"));
        await reporter.close();
        await pool.close();
        await bodies.close();
        log.info("data plane stopped");
      })();
      return closing;
    },
  };
}

/** The version metadata describes when no version is pinned: the heaviest variant's. */
function primaryRef(spec: EndpointSpec): VersionRef | undefined {
  const top = [...spec.config.variants].sort((a, b) => b.weight - a.weight)[0];
  return top ? spec.versions.get(spec.resolved.variantVersions[top.name]) : undefined;
}

/** A version's batching: the strictest settings among the endpoints that route to it. */
function batchingFor(serving: ServingState, ref: VersionRef, workers: number) {
  const specs = [...serving.active.values()].filter((s) => [...s.versions.values()].some((r) => r.id === ref.id));
  const pick = (f: (s: EndpointSpec) => number, fallback: number) => (specs.length ? Math.min(...specs.map(f)) : fallback);
  return {
    maxBatchSize: pick((s) => s.config.batching.maxBatchSize, ROUTING_DEFAULTS.batching.maxBatchSize),
    maxQueueDelayMs: pick((s) => s.config.batching.maxQueueDelayMs, ROUTING_DEFAULTS.batching.maxQueueDelayMs),
    queueSize: pick((s) => s.config.limits.queueSize, ROUTING_DEFAULTS.limits.queueSize),
    timeoutMs: pick((s) => s.config.limits.timeoutMs, ROUTING_DEFAULTS.limits.timeoutMs),
    // Two runs per worker: the next batch is already queued in the worker while the HTTP thread answers the last one.
    concurrency: workers * 2,
  };
}

/** `/v2/repository/index`, `/v2/repository/models/{name}/load|unload`. */
const REPOSITORY_ROUTE = /^\/v2\/repository\/(?:index|models\/([^/]+)\/(load|unload))\/?$/;
const MODEL_ROUTE = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(?:\/(ready|infer|stats|config))?\/?$/;
/** KServe's V1 protocol (lib/oip/v1-predict.ts): `GET /v1/models/{name}` (action "v1") and `POST /v1/models/{name}:predict`. */
const V1_MODEL_ROUTE = /^\/v1\/models\/([^/:]+)(?::(predict))?\/?$/;

function pathOf(url: string): string {
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}

type ModelRoute = { name: string; version: string | undefined; action: string | undefined };

/**
 * Model routes by path, decoded: a path is matched once on admission and again by the route, and clients send the
 * same few paths again and again. Bounded (emptied when full); malformed percent-encoding throws every time.
 */
const MODEL_ROUTES = new Map<string, ModelRoute | null>();

function modelRouteOf(path: string): ModelRoute | null {
  let route = MODEL_ROUTES.get(path);
  if (route !== undefined) return route;
  const m = MODEL_ROUTE.exec(path);
  const v1 = m ? null : V1_MODEL_ROUTE.exec(path);
  route = m
    ? { name: safeDecode(m[1]), version: m[2] === undefined ? undefined : safeDecode(m[2]), action: m[3] }
    : v1 && { name: safeDecode(v1[1]), version: undefined, action: v1[2] ?? "v1" };
  if (MODEL_ROUTES.size >= 1_000) MODEL_ROUTES.clear();
  MODEL_ROUTES.set(path, route);
  return route;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new OipError(400, "malformed percent-encoding in the path");
  }
}
