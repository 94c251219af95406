/**
 * Where an inference request's body is read. Small bodies (nearly all) are parsed on the HTTP thread, as before;
 * a body whose JSON is `offloadBytes` or more is parsed by a worker thread of its own (parse-worker.ts, started when
 * first needed), so one client's 60 MB request does not stop every other request for the second its JSON.parse takes,
 * and so are the typed `contents` of a gRPC message of that size. Binary tensors (Triton's extension, gRPC's
 * `raw_input_contents`) do not count: they are views of the bytes that came.
 */
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import { signatureTensors, type ModelSignature } from "@/lib/tensor/datatypes";
import { OipError } from "@/lib/oip/oip-error";
import { isWholeBuffer } from "@/lib/oip/oip-tensor";
import type { GrpcInferRequest } from "@/lib/oip/decode-grpc-infer-request";
import type { InferRequest, ParseInferRequestLimits } from "@/lib/oip/parse-infer-request";

export interface ParseJob {
  id: number;
  /** A REST body (JSON, perhaps followed by binary tensors), a KServe V1 body, or a gRPC ModelInferRequest's bytes. */
  format: "json" | "v1" | "grpc";
  /** REST: the request's Inference-Header-Content-Length header. */
  inferenceHeaderContentLength?: string;
  /** The body's bytes, the whole buffer: the body's own, transferred (and sent back with the answer), or a copy. */
  body: ArrayBuffer;
  transferred: boolean;
  signatures: ModelSignature[];
  limits: ParseInferRequestLimits;
}

export type ParseOutcome = { request: InferRequest } | { error: { status: number; message: string } };

export interface ParseAnswer {
  id: number;
  /** The request's `parameters` object, for routing rules (undefined when absent or the body is not JSON). */
  parameters?: Record<string, unknown>;
  /** One per signature of the job, in its order. */
  outcomes: ParseOutcome[];
  /** The job's body buffer, given back when it was transferred. */
  body?: ArrayBuffer;
}

/** A body read by the parse worker: the request as read against a signature, or the error to answer. */
export interface OffloadedParse {
  parameters?: Record<string, unknown>;
  requestFor(signature: ModelSignature): InferRequest | undefined;
  /** The body again (when it was transferred to the worker, this is its buffer, returned). */
  body: Buffer;
}

/** JSON bodies from this size up are parsed by the worker (~3 ms of JSON.parse on the HTTP thread at 512 KiB). */
export const DEFAULT_OFFLOAD_BYTES = 512 * 1024;

const tensorsOf = new WeakMap<ModelSignature, { key: string; tensors: ModelSignature }>();

/**
 * What reading a request takes of a signature, its tensors (not its class labels, which may be long and only name
 * answers), and their key: equal ones (versions of one model usually have the same) are read once.
 */
function readable(signature: ModelSignature): { key: string; tensors: ModelSignature } {
  let entry = tensorsOf.get(signature);
  if (entry === undefined) {
    const tensors = signatureTensors(signature);
    tensorsOf.set(signature, (entry = { key: JSON.stringify(tensors), tensors }));
  }
  return entry;
}

/** The request the worker read, or its refusal thrown as the OipError it was there. */
function requestOf(outcome: ParseOutcome): InferRequest {
  if ("error" in outcome) throw new OipError(outcome.error.status, outcome.error.message);
  return outcome.request;
}

const ENTRY = new URL("./parse-worker.ts", import.meta.url).href;
const BOOTSTRAP = new URL("./worker-bootstrap.mjs", import.meta.url);

export class BodyParser {
  private worker: Worker | undefined;
  private pending = new Map<number, { resolve(a: ParseAnswer): void; reject(e: Error): void }>();
  private ids = 0;

  constructor(
    readonly offloadBytes: number,
    private readonly log?: Logger,
  ) {}

  /**
   * Whether this body goes to the worker: its JSON (the whole body, or the Inference-Header-Content-Length bytes
   * before binary tensors) is large. A header that is not a number is left to the HTTP thread to refuse.
   */
  offloads(body: Buffer, inferenceHeaderContentLength: string | undefined): boolean {
    const jsonBytes = inferenceHeaderContentLength === undefined ? body.length : Number(inferenceHeaderContentLength);
    return jsonBytes >= this.offloadBytes;
  }

  /**
   * Parses a body's JSON in the worker and reads the request against each of `signatures` (equal ones read once);
   * `protocol` "v1": a KServe V1 body, its instances read as the V2 request they stand for.
   */
  async parse(
    body: Buffer,
    inferenceHeaderContentLength: string | undefined,
    signatures: ModelSignature[],
    limits: ParseInferRequestLimits,
    protocol: "v2" | "v1" = "v2",
  ): Promise<OffloadedParse> {
    const byKey = new Map<string, ModelSignature>();
    for (const s of signatures) {
      const { key, tensors } = readable(s);
      if (!byKey.has(key)) byKey.set(key, tensors);
    }
    const keys = [...byKey.keys()];
    const whole = isWholeBuffer(body);
    const job: ParseJob = {
      id: ++this.ids,
      format: protocol === "v1" ? "v1" : "json",
      inferenceHeaderContentLength,
      body: whole ? (body.buffer as ArrayBuffer) : (body.buffer.slice(body.byteOffset, body.byteOffset + body.length) as ArrayBuffer),
      transferred: whole,
      signatures: [...byKey.values()],
      limits,
    };
    const answer = await this.send(job);
    return {
      parameters: answer.parameters,
      // A transferred body is unusable here until the worker gives its buffer back.
      body: answer.body ? Buffer.from(answer.body) : body,
      requestFor(signature) {
        const i = keys.indexOf(readable(signature).key);
        return i < 0 ? undefined : requestOf(answer.outcomes[i]);
      },
    };
  }

  /**
   * Whether a gRPC ModelInferRequest goes to the worker: a large one with typed `contents` (decoding them costs the
   * time; `raw_input_contents` are views of the message).
   */
  offloadsGrpc(bytes: Buffer, msg: GrpcInferRequest): boolean {
    return bytes.length >= this.offloadBytes && msg.raw_input_contents.length === 0 && msg.inputs.some((i) => i.contents !== undefined);
  }

  /** Reads a gRPC ModelInferRequest's bytes in the worker against the version's signature (a copy travels). */
  async parseGrpc(bytes: Buffer, signature: ModelSignature, limits: ParseInferRequestLimits): Promise<InferRequest> {
    const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
    const answer = await this.send({ id: ++this.ids, format: "grpc", body: copy, transferred: false, signatures: [readable(signature).tensors], limits });
    return requestOf(answer.outcomes[0]);
  }

  /** Bodies and messages sent to the worker so far. */
  get jobs(): number {
    return this.ids;
  }

  private send(job: ParseJob): Promise<ParseAnswer> {
    const worker = (this.worker ??= this.spawn());
    return new Promise((resolve, reject) => {
      this.pending.set(job.id, { resolve, reject });
      worker.postMessage(job, job.transferred ? [job.body] : []);
    });
  }

  private spawn(): Worker {
    const worker = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY }, execArgv: [] });
    worker.unref();
    worker.on("message", (a: ParseAnswer) => {
      const p = this.pending.get(a.id);
      this.pending.delete(a.id);
      p?.resolve(a);
    });
    worker.on("error", (e) => this.log?.error({ err: e }, "the parse worker failed"));
    worker.on("exit", (code) => {
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(new OipError(503, "the request could not be read: the data plane's parse worker stopped; send it again"));
      this.pending.clear();
      if (code !== 0) this.log?.error({ code }, "the parse worker exited; the next large request starts another");
    });
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
