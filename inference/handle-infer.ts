/**
 * `POST /v2/models/{endpoint}[/versions/{v}]/infer`: (authorized on admission, before the body was read) route (or take the pinned
 * version), validate against that version's signature, queue for a batch, answer — then record and, when the
 * endpoint has a shadow, mirror the request in the background. Nothing is recorded before the answer is written.
 */
import crypto from "node:crypto";
import type { Logger } from "pino";
import { TokenBucket } from "@/lib/limits/token-buckets";
import { answersInJson, buildInferResponse, type NamedTensor } from "@/lib/oip/build-infer-response";
import { classify } from "@/lib/oip/classification";
import { OipError, isOipError } from "@/lib/oip/oip-error";
import { parametersOf, parseInferRequest, readRequestJson, type InferRequest, type RequestedOutput } from "@/lib/oip/parse-infer-request";
import { readV1Json, readV1Request, v1PredictionsText } from "@/lib/oip/v1-predict";
import { routeRequest, shouldShadow } from "@/lib/routing/route-request";
import type { OipTensor } from "@/lib/oip/oip-tensor";
import { ClientGoneError, QueueFullError, QueueTimeoutError, type BatchResult } from "./batcher";
import type { BodyParser } from "./body-parser";
import { compareShadow } from "./compare-shadow";
import type { EndpointSpec } from "./desired-state";
import { missingTokenError, RateLimitedError } from "./authorize";
import type { Recorder } from "./recorder";
import type { ServingState } from "./data-plane";
import { answerEncoding, compressAnswer, COMPRESS_FROM_BYTES, inflateBody } from "./http1/content-encoding";
import type { Http1Reply, Http1Request, ReplyHeaders } from "./http1/http1-server";
import type { Lease, SessionManager, VersionRef } from "./session-manager";
import { RunError, WorkerCrashedError } from "./worker-pool";

export interface InferContext {
  serving: ServingState;
  sessions: SessionManager;
  recorder: Recorder;
  log: Logger;
  /** Reads large JSON bodies off the HTTP thread (absent: every body is parsed here). */
  bodies?: BodyParser;
  /** FERRY_MAX_REQUEST_BYTES: what a compressed body may inflate to. */
  maxBodyBytes: number;
}

export const LIMITS = { maxElements: 1 << 27, maxDims: 16 };
/**
 * Failed runs (onnxruntime refusing an input: an index out of range, say) are logged, at most this many lines a
 * second per process: a client sending such inputs in a loop must not flood the log. Each is counted in
 * ferry_requests_total{code="500"} regardless.
 */
export const RUN_ERRORS_LOGGED_PER_SECOND = 5;
const runErrorLogs = new TokenBucket(() => Date.now());

export function sendJson(res: Http1Reply, status: number, body: unknown, headers: ReplyHeaders = {}): void {
  res.send(status, { "content-type": "application/json", ...headers }, JSON.stringify(body));
}

/** What an error answers: its HTTP status, a message a person can act on, and headers (Retry-After). */
export interface ErrorAnswer {
  status: number;
  message: string;
  headers: Record<string, string>;
}

/** Classifies an error for any transport; unknown errors are logged and answered without details. */
export function errorAnswer(e: unknown, log: Logger): ErrorAnswer {
  let status = 500;
  let message = "internal error";
  const headers: Record<string, string> = {};
  if (e instanceof ClientGoneError) {
    status = 499;
    message = e.message;
  } else if (e instanceof RateLimitedError) {
    status = 429;
    message = e.message;
    headers["retry-after"] = String(e.retryAfterSeconds);
  } else if (isOipError(e)) {
    status = e.status;
    message = e.message;
    if (status === 503) headers["retry-after"] = "1";
  } else if (e instanceof QueueFullError) {
    status = 503;
    message = e.message;
    headers["retry-after"] = "1";
  } else if (e instanceof QueueTimeoutError) {
    status = 504;
    message = e.message;
  } else if (e instanceof RunError) {
    message = `inference failed: ${e.message}`;
  } else if (e instanceof WorkerCrashedError) {
    message = e.message;
  } else {
    log.error({ err: e }, "unexpected error while serving an inference request");
  }
  return { status, message, headers };
}

/** `{"error": message}` with the right status and headers (nothing when the client is gone: 499). */
export function sendError(res: Http1Reply, e: unknown, log: Logger): number {
  return sendErrorAnswer(res, errorAnswer(e, log));
}

function sendErrorAnswer(res: Http1Reply, answer: ErrorAnswer): number {
  if (answer.status !== 499) sendJson(res, answer.status, { error: answer.message }, answer.headers);
  return answer.status;
}

/**
 * `protocol` "v1": KServe's V1 `:predict` (lib/oip/v1-predict.ts): its instances are read as the V2 request they stand
 * for (a large body by the parse worker too; no binary tensors, no `parameters` for routing rules), and answered as
 * `{"predictions": …}`; everything between is the V2 path.
 */
export async function handleInfer(
  ctx: InferContext,
  req: Http1Request,
  res: Http1Reply,
  endpointName: string,
  pinnedVersion: string | undefined,
  protocol: "v2" | "v1" = "v2",
): Promise<void> {
  const started = performance.now();
  const requestId = req.headers["x-request-id"]?.slice(0, 200) || crypto.randomUUID();
  let spec = ctx.serving.active.get(endpointName);
  let ref: VersionRef | undefined;
  let variant: string | undefined;
  let lease: Lease | undefined;
  let request: InferRequest | undefined;
  let status = 200;
  let result: BatchResult | undefined;
  try {
    // The token was checked (and the rate limit taken) on admission; a request here without a principal is a bug.
    if (!req.admission) throw missingTokenError();
    if (!spec) throw new OipError(404, `endpoint '${endpointName}' not found`);
    const contentEncoding = req.headers["content-encoding"];
    let body = contentEncoding === undefined ? req.body : await inflateBody(req.body, contentEncoding, ctx.maxBodyBytes);
    const v1 = protocol === "v1";
    // (V1 has no binary tensors: its whole body is JSON.)
    const headerLength = v1 ? undefined : req.headers["inference-header-content-length"];
    // A body with a large JSON part is parsed by the parse worker, against every signature the endpoint's versions
    // have (the version is picked after, by rules that may read its parameters).
    const offloaded = ctx.bodies?.offloads(body, headerLength) ? await ctx.bodies.parse(body, headerLength, [...spec.versions.values()].map((v) => v.signature), LIMITS, protocol) : undefined;
    if (offloaded) body = offloaded.body;
    // Route with the config active now, not the one seen before the awaits: a swap may have happened meanwhile and
    // the versions of the old config may already be drained and unloaded.
    spec = ctx.serving.active.get(endpointName) ?? spec;

    const parameters = !v1 && pinnedVersion === undefined && needsParameters(spec) ? (offloaded ? offloaded.parameters : peekParameters(body, headerLength)) : undefined;
    const pick = pickVersion(spec, pinnedVersion, req.headers, parameters);
    ref = pick.ref;
    variant = pick.variant;
    lease = leaseOf(ctx, ref, endpointName);
    // (A version that came with a swap while the worker parsed has no reading of its own: it is read here.)
    request =
      offloaded?.requestFor(ref.signature) ??
      (v1
        ? readV1Request(readV1Json(body), body, ref.signature, LIMITS)
        : parseInferRequest(body, { contentType: req.headers["content-type"], inferenceHeaderContentLength: headerLength }, ref.signature, LIMITS));
    // The reply tells the batcher when the client is gone (rather than an AbortController: EventTarget is not cheap).
    const json = answersInJson(request.outputs, request.binaryOutputDefault);
    result = await lease.version.batcher.submit(request.inputs, { gone: res, timeoutMs: spec.config.limits.timeoutMs, json, sketch: { endpointId: spec.id, version: ref.version } });
    const answer = v1
      ? { body: v1PredictionsText(namedOutputs(ref, result.outputs)), headers: { "Content-Type": "application/json" } as ReplyHeaders }
      : buildInferResponse({
          modelName: endpointName,
          modelVersion: String(ref.version),
          id: request.id ?? requestId,
          outputs: namedOutputs(ref, result.outputs, request.outputs),
          requested: request.outputs,
          binaryDefault: request.binaryOutputDefault,
        });
    // Added to the answer's own headers object rather than spread into a new one: a spread built a new hidden class
    // on every request (V8 map transitions showed in the HTTP thread's profile).
    const headers: ReplyHeaders = answer.headers;
    headers["x-ferry-version"] = String(ref.version);
    headers["x-request-id"] = requestId;
    const encoding = answer.body.length >= COMPRESS_FROM_BYTES ? answerEncoding(req.headers["accept-encoding"]) : undefined;
    if (encoding) headers["content-encoding"] = encoding;
    res.send(200, headers, encoding ? await compressAnswer(answer.body, encoding) : answer.body);
  } catch (e) {
    status = sendErrorAnswer(res, inferFailure(ctx, e, endpointName, ref, requestId));
  } finally {
    lease?.release();
  }

  afterInfer(ctx, { endpointName, spec, ref, variant, pinnedVersion, status, started, requestId, request, result });
}

/** An inference request's error as answered; failed runs are logged too (rate-limited, RUN_ERRORS_LOGGED_PER_SECOND). */
export function inferFailure(ctx: InferContext, e: unknown, endpointName: string, ref: VersionRef | undefined, requestId: string): ErrorAnswer {
  if (e instanceof RunError && runErrorLogs.takeOne(RUN_ERRORS_LOGGED_PER_SECOND) === 0) {
    ctx.log.warn({ endpoint: endpointName, version: ref?.version, requestId, error: e.message }, "inference run failed (answered 500)");
  }
  return errorAnswer(e, ctx.log);
}

/** What one inference request came to, for recording it (and mirroring it to a shadow) after its answer went out. */
export interface InferOutcome {
  endpointName: string;
  spec: EndpointSpec | undefined;
  ref: VersionRef | undefined;
  variant: string | undefined;
  pinnedVersion: string | undefined;
  /** The status answered (HTTP's numbers whatever the transport; 499: the client was gone). */
  status: number;
  started: number;
  requestId: string;
  request: InferRequest | undefined;
  result: BatchResult | undefined;
}

/** Records an answered request (or a rejected one) and, when the endpoint has a shadow, mirrors it in the background. */
export function afterInfer(ctx: InferContext, o: InferOutcome): void {
  const { spec, ref, status, request, result } = o;
  const latencyMs = performance.now() - o.started;
  if (spec && ref && status !== 499) {
    ctx.recorder.recordRequest({
      endpointId: spec.id,
      endpoint: o.endpointName,
      version: ref.version,
      variant: o.variant,
      status,
      latencyMs,
      queueMs: result?.queueMs,
      batchRows: result?.batchRows,
      // The log and ground truth key rows by request id: an empty id (which the answer still echoes) gets the plane's own.
      requestId: request?.id || o.requestId,
      inputs: request?.inputs,
      outputs: result?.outputs,
    });
  } else if (status !== 499) {
    ctx.recorder.recordRejected(spec ? o.endpointName : "_unknown", status);
  }
  if (spec && ref && request && result && o.pinnedVersion === undefined && spec.config.shadow && spec.resolved.shadowVersion !== undefined) {
    if (shouldShadow(spec.config, request.id ?? o.requestId)) void runShadow(ctx, spec, request, result.outputs);
  }
}

/** The version that serves a request: the pinned one (404 when it is not served), or the one routing picks. */
export function pickVersion(
  spec: EndpointSpec,
  pinnedVersion: string | undefined,
  headers: Record<string, string | undefined>,
  parameters: Record<string, unknown> | undefined,
): { ref: VersionRef; variant: string | undefined } {
  if (pinnedVersion !== undefined) return { ref: versionOf(spec, pinnedVersion), variant: undefined };
  const decision = routeRequest(spec.config, spec.resolved, { headers, parameters });
  const ref = spec.versions.get(decision.version);
  if (!ref) throw new OipError(503, `endpoint '${spec.name}' routes to version ${decision.version}, which is not loaded`);
  return { ref, variant: decision.variant };
}

/** A lease on a version's session (503 saying why when it is not ready); release it once the request is answered. */
export function leaseOf(ctx: InferContext, ref: VersionRef, endpointName: string): Lease {
  const lease = ctx.sessions.acquire(ref.id);
  if (lease) return lease;
  const v = ctx.sessions.get(ref.id);
  const why = v?.state === "failed" ? `failed to load: ${v.message}` : `is ${v?.state ?? "not loaded"}`;
  throw new OipError(503, `version ${ref.version} of endpoint '${endpointName}' is not available (${why})`);
}

/** A run's outputs in the model's order, named. */
export function namedOutputs(ref: VersionRef, outputs: Map<string, OipTensor>, requested?: RequestedOutput[]): NamedTensor[] {
  const named: NamedTensor[] = [];
  for (const o of ref.signature.outputs) {
    const tensor = outputs.get(o.name);
    if (!tensor) continue;
    // Triton's classification extension: the output's top classes instead of its values (the log keeps the values).
    const count = requested?.find((r) => r.name === o.name)?.classification;
    if (count !== undefined) named.push({ name: o.name, ...classify(tensor, count, o.shape[0] === -1, ref.signature.labels?.[o.name]) });
    else named.push({ name: o.name, datatype: tensor.datatype, shape: tensor.shape, data: tensor.data, json: tensor.json });
  }
  return named;
}

/** Mirrors a request to the shadow version after the answer went out; never affects the answer or error counts. */
async function runShadow(ctx: InferContext, spec: EndpointSpec, request: InferRequest, primary: Map<string, OipTensor>) {
  const ref = spec.versions.get(spec.resolved.shadowVersion!);
  if (!ref) return;
  const lease = ctx.sessions.acquire(ref.id);
  if (!lease) return;
  try {
    // Shadow traffic must never take queue slots the primary needs: skip when the shadow's queue is busy.
    if (lease.version.batcher.depth > lease.version.batcher.options.queueSize / 2) return;
    const { outputs } = await lease.version.batcher.submit(request.inputs);
    const cmp = compareShadow(primary, outputs);
    if (cmp) ctx.recorder.recordShadow(spec.id, ref.version, cmp.agree, cmp.absDiff);
  } catch {
    // A failing shadow is the shadow's problem; it shows as disagreement only through its own runs.
  } finally {
    lease.release();
  }
}

function versionOf(spec: EndpointSpec, raw: string): VersionRef {
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  const ref = Number.isFinite(n) ? spec.versions.get(n) : undefined;
  if (!ref) {
    const served = [...spec.versions.keys()].sort((a, b) => a - b).join(", ");
    throw new OipError(404, `version '${raw.slice(0, 40)}' of endpoint '${spec.name}' is not served here (served versions: ${served})`);
  }
  return ref;
}

export function needsParameters(spec: EndpointSpec): boolean {
  return spec.config.rules.some((r) => r.parameter !== undefined) || spec.config.sticky?.parameter !== undefined;
}

/** The request's `parameters`, for rules that route on them; parse problems are left to the full parse. */
function peekParameters(body: Buffer, headerLength: string | undefined): Record<string, unknown> | undefined {
  try {
    return parametersOf(readRequestJson(body, { inferenceHeaderContentLength: headerLength }).json);
  } catch {
    return undefined;
  }
}
