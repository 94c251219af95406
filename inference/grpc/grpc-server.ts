/**
 * The Open Inference Protocol over gRPC (KServe V2's GRPCInferenceService, grpc_predict_v2.proto beside this file),
 * beside the REST server and sharing everything behind it: the same tokens and rate limits (the `authorization`
 * metadata carries `Bearer <token>`), routing (header rules read the call's metadata), validation and messages,
 * dynamic batching, recording and shadows (handle-infer.ts). Errors carry the REST status's gRPC code and its message.
 */
import * as grpc from "@grpc/grpc-js";
import crypto from "node:crypto";
import net from "node:net";
import { decodeModelInferRequest } from "@/lib/oip/decode-grpc-infer-request";
import { buildGrpcInferResponse, grpcParameters, parseGrpcInferRequest, type GrpcInferResponse } from "@/lib/oip/grpc-infer";
import type { ModelMetadata, ServerMetadata } from "@/lib/oip/metadata";
import type { TritonModelConfig } from "@/lib/oip/model-config";
import { modelControlRefusal, type RepositoryEntry } from "@/lib/oip/model-repository";
import type { ModelStat } from "@/lib/oip/model-statistics";
import { logger as rootLogger } from "@/lib/logger";
import { OipError } from "@/lib/oip/oip-error";
import type { InferRequest } from "@/lib/oip/parse-infer-request";
import type { Authorizer } from "../authorize";
import { ClientGoneError, type BatchResult, type GoneNotifier } from "../batcher";
import { afterInfer, errorAnswer, inferFailure, type ErrorAnswer, leaseOf, LIMITS, namedOutputs, needsParameters, pickVersion, type InferContext } from "../handle-infer";
import type { EndpointSpec } from "../desired-state";
import type { Lease, VersionRef } from "../session-manager";
import { grpcService } from "./grpc-service";
import { serveStream } from "./grpc-stream";

/** The services `grpc.health.v1.Health/Check` answers for: the server as a whole ("") and the inference service. */
const HEALTH_SERVICES = new Set(["", "inference.GRPCInferenceService"]);

/** What the gRPC calls ask of the data plane beyond inference (the same answers its REST routes give). */
export interface GrpcPlaneHooks {
  ctx: InferContext;
  authorizer: Authorizer;
  /** Server readiness: warm and not draining. */
  ready(): boolean;
  serverMetadata(): ServerMetadata;
  /** Throws OipError 404 for an unknown endpoint or version. */
  modelReady(name: string, version: string | undefined): boolean;
  modelMetadata(name: string, version: string | undefined): ModelMetadata;
  /** Triton's model configuration (lib/oip/model-config.ts); 404 as modelReady. */
  modelConfig(name: string, version: string | undefined): TritonModelConfig;
  /** Triton's statistics of an endpoint's versions (lib/oip/model-statistics.ts), or of every endpoint without a name. */
  statistics(name: string | undefined, version: string | undefined): ModelStat[];
  /** Triton's repository index (lib/oip/model-repository.ts). */
  repositoryIndex(ready: boolean): RepositoryEntry[];
}

export interface GrpcServerOptions {
  host: string;
  /** 0 = any free port. */
  port: number;
  /** Largest message accepted (FERRY_MAX_REQUEST_BYTES); larger ones get RESOURCE_EXHAUSTED unread. */
  maxMessageBytes: number;
}

export interface GrpcPlane {
  port: number;
  /** Calls being served. */
  readonly inFlight: number;
  /** Stops taking calls, lets those in flight finish (up to `timeoutMs`), then cancels the rest. */
  close(timeoutMs: number): Promise<void>;
}

/** HTTP statuses as the REST protocol answers them → gRPC codes (as KServe's and Triton's servers map them). */
export function grpcCodeOf(status: number): grpc.status {
  switch (status) {
    case 400:
      return grpc.status.INVALID_ARGUMENT;
    case 401:
      return grpc.status.UNAUTHENTICATED;
    case 403:
      return grpc.status.PERMISSION_DENIED;
    case 404:
      return grpc.status.NOT_FOUND;
    case 405:
      return grpc.status.UNIMPLEMENTED;
    case 413:
    case 429:
      return grpc.status.RESOURCE_EXHAUSTED;
    case 503:
      return grpc.status.UNAVAILABLE;
    case 504:
      return grpc.status.DEADLINE_EXCEEDED;
    default:
      return grpc.status.INTERNAL;
  }
}

/**
 * The inference service as the server serves it: ModelInfer's message is handed over as its bytes and read by
 * decodeModelInferRequest (typed contents straight into typed arrays, after the shape is checked; a malformed message
 * a 400) rather than by protobufjs, whose arrays of numbers and strings cost ~10× the time and far more memory.
 */
function inferenceService(): grpc.ServiceDefinition {
  const service = grpcService("inference.GRPCInferenceService").service;
  const asBytes = (bytes: Buffer) => bytes;
  return {
    ...service,
    ModelInfer: { ...service.ModelInfer, requestDeserialize: asBytes },
    ModelStreamInfer: { ...service.ModelStreamInfer, requestDeserialize: asBytes },
  };
}

/** A call of either kind, for what they share: cancellation and the deadline. */
type SurfaceCall = grpc.ServerUnaryCall<Buffer, unknown> | grpc.ServerDuplexStream<Buffer, unknown>;

/** What one inference message is answered with. */
type InferOutcome = { answer: GrpcInferResponse; version: number; requestId: string } | { failure: ErrorAnswer; requestId: string };

/** A call's metadata as the lower-case string headers routing rules read (binary `-bin` entries left out). */
function headersOf(metadata: grpc.Metadata): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.getMap())) if (typeof value === "string") headers[key] = value;
  return headers;
}

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

export async function startGrpcServer(hooks: GrpcPlaneHooks, opts: GrpcServerOptions): Promise<GrpcPlane> {
  const { ctx, authorizer } = hooks;
  routeGrpcLogs();
  let inFlight = 0;
  let draining = false;
  /** Each open ModelStreamInfer stream's stop (see modelStreamInfer), called on close. */
  const openStreams = new Set<() => void>();

  /**
   * The token is checked when the call's metadata arrives, before its message is read: a refused client's message is
   * never read or decoded (decoding typed contents costs far more than their bytes), as REST never reads a refused
   * client's body. The handlers check again with the endpoint, for its rate limit (the token's lookup is cached).
   */
  const tokenFirst: grpc.ServerInterceptor = (method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, proceed) {
            if (OPEN_METHODS.has(method.path)) return proceed(metadata);
            const authorization = metadata.get("authorization")[0];
            authorize(typeof authorization === "string" ? authorization : undefined, "").then(
              () => proceed(metadata),
              (e: unknown) => {
                const answer = errorAnswer(e, ctx.log);
                if (method.path === INFER_METHOD) ctx.recorder.recordRejected("_unknown", answer.status);
                call.sendStatus({ code: grpcCodeOf(answer.status), details: answer.message, metadata: trailersOf(answer) });
              },
            );
          },
        });
      },
    });

  const server = new grpc.Server({
    "grpc.max_receive_message_length": opts.maxMessageBytes,
    "grpc.max_send_message_length": -1,
    // Calls in flight per connection: a client needs no more (the batcher's queue bounds the rest).
    "grpc.max_concurrent_streams": 256,
    interceptors: [tokenFirst],
  });

  /** Answers an error with its status's gRPC code, its message and its headers as trailing metadata (nothing once the client is gone). */
  function fail(callback: grpc.sendUnaryData<never>, answer: ErrorAnswer) {
    if (answer.status === 499) return;
    callback({ code: grpcCodeOf(answer.status), details: answer.message, metadata: trailersOf(answer) });
  }

  /** A unary call counted in flight; `handle` answers or throws (the error is answered with its code). */
  function unary<Req, Res>(handle: (call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res> | Res): Unary<Req, Res> {
    return (call, callback) => {
      inFlight++;
      Promise.resolve()
        .then(() => handle(call))
        .then(
          (res) => callback(null, res),
          (e: unknown) => fail(callback as grpc.sendUnaryData<never>, errorAnswer(e, ctx.log)),
        )
        .catch((e: unknown) => ctx.log.error({ err: e }, "unexpected error while answering a gRPC call"))
        .finally(() => inFlight--);
    };
  }

  /** Model calls need a token with the `infer` scope, as the REST routes do; with a rate limit, it takes from the endpoint's. */
  async function authorize(authorization: string | undefined, name: string, rateLimit?: number) {
    if (!authorization) throw new OipError(401, "missing bearer token (send 'authorization: Bearer <token>' in the call's metadata)");
    return authorizer.authorize(authorization, name, rateLimit);
  }

  /**
   * One ModelInfer message (its bytes: see inferenceService), read here, where a malformed one is answered as a 400:
   * the answer or the failure to send, recorded (never throws). `onStream`: a message of a ModelStreamInfer stream,
   * which checks the token again (cached: a token revoked while a stream stays open stops working, as for unary
   * calls) and is known by its own `id` rather than the stream's x-request-id.
   */
  async function inferOne(call: SurfaceCall, bytes: Buffer, headers: Record<string, string>, onStream: boolean): Promise<InferOutcome> {
    const started = performance.now();
    let requestId = headers["x-request-id"]?.slice(0, 200) || crypto.randomUUID();
    let endpointName = "";
    let pinnedVersion: string | undefined;
    let spec: EndpointSpec | undefined;
    let ref: VersionRef | undefined;
    let variant: string | undefined;
    let lease: Lease | undefined;
    let request: InferRequest | undefined;
    let result: BatchResult | undefined;
    let outcome: InferOutcome;
    let status = 200;
    try {
      const msg = decodeModelInferRequest(bytes);
      endpointName = msg.model_name;
      // On a stream, the metadata's request id is the stream's: each message is its own request, known by its id.
      if (onStream) requestId = msg.id.slice(0, 200) || crypto.randomUUID();
      pinnedVersion = msg.model_version || undefined;
      spec = ctx.serving.active.get(endpointName);
      if (!endpointName) throw new OipError(400, "model_name is empty: name the endpoint to infer with");
      // The token was checked before the call's first message was read (tokenFirst); the endpoint's rate limit is
      // taken here.
      const rateLimit = spec?.config.limits.rateLimitPerSecond;
      if (rateLimit || onStream) await authorize(headers.authorization, endpointName, rateLimit);
      spec = ctx.serving.active.get(endpointName) ?? spec;
      if (!spec) throw new OipError(404, `endpoint '${endpointName}' not found`);
      const parameters = pinnedVersion === undefined && needsParameters(spec) ? grpcParameters(msg.parameters) : undefined;
      ({ ref, variant } = pickVersion(spec, pinnedVersion, headers, parameters));
      lease = leaseOf(ctx, ref, endpointName);
      // A client that gave up while its token was looked up is not served (grpc-js says `cancelled` only once).
      if (call.cancelled) throw new ClientGoneError();
      // Large typed contents are decoded by the parse worker, off this thread (body-parser.ts).
      request = ctx.bodies?.offloadsGrpc(bytes, msg) ? await ctx.bodies.parseGrpc(bytes, ref.signature, LIMITS) : parseGrpcInferRequest(msg, ref.signature, LIMITS);
      result = await lease.version.batcher.submit(request.inputs, {
        gone: goneOf(call),
        timeoutMs: spec.config.limits.timeoutMs,
        json: false,
        sketch: { endpointId: spec.id, version: ref.version },
      });
      const answer = buildGrpcInferResponse({
        modelName: endpointName,
        modelVersion: String(ref.version),
        id: request.id ?? requestId,
        outputs: namedOutputs(ref, result.outputs, request.outputs),
        requested: request.outputs,
      });
      outcome = { answer, version: ref.version, requestId };
    } catch (e) {
      const failure = inferFailure(ctx, e, endpointName, ref, requestId);
      // A call cancelled because its deadline passed timed out, as REST's 504: counted, though no answer can be sent.
      status = failure.status === 499 && deadlinePassed(call) ? 504 : failure.status;
      outcome = { failure, requestId };
    } finally {
      lease?.release();
    }
    afterInfer(ctx, { endpointName: endpointName || "_unknown", spec, ref, variant, pinnedVersion, status, started, requestId, request, result });
    return outcome;
  }

  function modelInfer(call: grpc.ServerUnaryCall<Buffer, unknown>, callback: grpc.sendUnaryData<unknown>): Promise<void> {
    return inferOne(call, call.request, headersOf(call.metadata), false).then((outcome) => {
      if ("failure" in outcome) return fail(callback as grpc.sendUnaryData<never>, outcome.failure);
      const metadata = new grpc.Metadata();
      metadata.set("x-ferry-version", String(outcome.version));
      metadata.set("x-request-id", outcome.requestId);
      call.sendMetadata(metadata);
      callback(null, outcome.answer);
    });
  }

  /** Triton's streaming inference (grpc-stream.ts): each message a request through inferOne, its answer or failure written back. */
  function modelStreamInfer(call: grpc.ServerDuplexStream<Buffer, unknown>): Promise<void> {
    const headers = headersOf(call.metadata);
    return serveStream(call, openStreams, ctx.log, async (bytes) => {
      const outcome = await inferOne(call, bytes, headers, true);
      if (!("failure" in outcome)) return { infer_response: outcome.answer };
      return outcome.failure.status === 499 ? undefined : { error_message: outcome.failure.message, infer_response: { id: outcome.requestId } };
    });
  }


  server.addService(grpcService("grpc.health.v1.Health").service, {
    Check: unary((call: grpc.ServerUnaryCall<{ service: string }, unknown>) => {
      if (!HEALTH_SERVICES.has(call.request.service)) throw new OipError(404, `no health status for service '${call.request.service.slice(0, 100)}'`);
      return { status: !draining && hooks.ready() ? "SERVING" : "NOT_SERVING" };
    }),
  });
  // Every call but OPEN_METHODS passed tokenFirst's check before reaching these handlers.
  server.addService(inferenceService(), {
    ServerLive: unary(() => ({ live: true })),
    ServerReady: unary(() => ({ ready: !draining && hooks.ready() })),
    ServerMetadata: unary(() => hooks.serverMetadata()),
    ModelReady: unary((call: grpc.ServerUnaryCall<{ name: string; version: string }, unknown>) => {
      return { ready: hooks.modelReady(call.request.name, call.request.version || undefined) };
    }),
    ModelMetadata: unary((call: grpc.ServerUnaryCall<{ name: string; version: string }, unknown>) => {
      return hooks.modelMetadata(call.request.name, call.request.version || undefined);
    }),
    ModelConfig: unary((call: grpc.ServerUnaryCall<{ name: string; version: string }, unknown>) => {
      return { config: hooks.modelConfig(call.request.name, call.request.version || undefined) };
    }),
    ModelStatistics: unary((call: grpc.ServerUnaryCall<{ name: string; version: string }, unknown>) => {
      return { model_stats: hooks.statistics(call.request.name || undefined, call.request.version || undefined) };
    }),
    RepositoryIndex: unary((call: grpc.ServerUnaryCall<{ ready: boolean }, unknown>) => {
      return { models: hooks.repositoryIndex(call.request.ready) };
    }),
    RepositoryModelLoad: unary((call: grpc.ServerUnaryCall<{ model_name: string }, unknown>) => {
      throw modelControlRefusal(call.request.model_name.slice(0, 100), "load");
    }),
    RepositoryModelUnload: unary((call: grpc.ServerUnaryCall<{ model_name: string }, unknown>) => {
      throw modelControlRefusal(call.request.model_name.slice(0, 100), "unload");
    }),
    ModelInfer: (call: grpc.ServerUnaryCall<Buffer, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      inFlight++;
      modelInfer(call, callback)
        .catch((e: unknown) => ctx.log.error({ err: e }, "unexpected error after answering a gRPC inference call"))
        .finally(() => inFlight--);
    },
    ModelStreamInfer: (call: grpc.ServerDuplexStream<Buffer, unknown>) => {
      inFlight++;
      void modelStreamInfer(call).finally(() => inFlight--);
    },
  });

  const where = `${net.isIPv6(opts.host) ? `[${opts.host}]` : opts.host}:${opts.port}`;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(where, grpc.ServerCredentials.createInsecure(), (err, bound) => {
      if (!err) return resolve(bound);
      reject(
        new Error(
          /EADDRINUSE/.test(err.message)
            ? `the gRPC port ${where} is in use by another process: stop it, or set FERRY_GRPC_PORT to a free port (or to off)`
            : `the gRPC server could not listen on ${where} (FERRY_GRPC_PORT): ${err.message}`,
        ),
      );
    }),
  );

  return {
    port,
    get inFlight() {
      return inFlight;
    },
    close(timeoutMs) {
      draining = true;
      for (const stop of [...openStreams]) stop();
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, timeoutMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}

/** Calls answered without a token: the server's health and metadata, as over REST. */
const OPEN_METHODS = new Set([
  "/inference.GRPCInferenceService/ServerLive",
  "/inference.GRPCInferenceService/ServerReady",
  "/inference.GRPCInferenceService/ServerMetadata",
  "/grpc.health.v1.Health/Check",
]);
const INFER_METHOD = "/inference.GRPCInferenceService/ModelInfer";

/** An error's headers (Retry-After) as trailing metadata. */
function trailersOf(answer: ErrorAnswer): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(answer.headers)) metadata.set(k, v);
  return metadata;
}

function deadlinePassed(call: SurfaceCall): boolean {
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(at) && at <= Date.now();
}

let grpcLogsRouted = false;

/** grpc-js writes its errors to the console; once per process they go to Ferry's log instead (grpc.setLogger is global). */
function routeGrpcLogs(): void {
  if (grpcLogsRouted) return;
  grpcLogsRouted = true;
  const log = rootLogger().child({ component: "grpc-js" });
  grpc.setLogger({ error: (...args: unknown[]) => log.warn(args.map(String).join(" ")), info: () => {}, debug: () => {} });
}

/** The batcher's notice that the caller is gone: the client cancelled, or its deadline passed. */
function goneOf(call: SurfaceCall): GoneNotifier {
  return {
    onGone(fn) {
      if (call.cancelled) {
        queueMicrotask(fn);
        return () => {};
      }
      call.once("cancelled", fn);
      return () => call.off("cancelled", fn);
    },
  };
}
