/**
 * The parse worker: reads large JSON inference bodies (V2's and KServe V1's), and the typed contents of large gRPC messages, off the HTTP
 * thread (body-parser.ts). JSON.parse of a 64 MB body takes most of a second, and the HTTP thread answers nothing
 * meanwhile; here it takes the same time while the HTTP thread serves everyone else. A JSON body is parsed once and
 * read against every signature its endpoint's versions have (routing, which picks the version, needs the request's
 * parameters first); a gRPC message, routed already, against its version's. Started through worker-bootstrap.mjs;
 * speaks body-parser.ts's ParseJob / ParseAnswer.
 */
import { parentPort } from "node:worker_threads";
import { isOipError } from "@/lib/oip/oip-error";
import { isWholeBuffer } from "@/lib/oip/oip-tensor";
import { decodeModelInferRequest } from "@/lib/oip/decode-grpc-infer-request";
import { parseGrpcInferRequest } from "@/lib/oip/grpc-infer";
import { parametersOf, readInferRequest, readRequestJson, type InferRequest } from "@/lib/oip/parse-infer-request";
import { readV1Json, readV1Request } from "@/lib/oip/v1-predict";
import type { ParseAnswer, ParseJob, ParseOutcome } from "./body-parser";

const port = parentPort!;

port.on("message", (job: ParseJob) => {
  const body = Buffer.from(job.body);
  const transfer: ArrayBuffer[] = [];
  let answer: ParseAnswer;
  try {
    if (job.format === "grpc") {
      const msg = decodeModelInferRequest(body);
      answer = { id: job.id, outcomes: job.signatures.map((signature) => outcomeOf(() => parseGrpcInferRequest(msg, signature, job.limits), transfer)) };
    } else if (job.format === "v1") {
      const json = readV1Json(body);
      answer = { id: job.id, outcomes: job.signatures.map((signature) => outcomeOf(() => readV1Request(json, body, signature, job.limits), transfer)) };
    } else {
      const { json, headerLength } = readRequestJson(body, { inferenceHeaderContentLength: job.inferenceHeaderContentLength });
      const outcomes = job.signatures.map((signature) => outcomeOf(() => readInferRequest(json, body, headerLength, signature, job.limits), transfer));
      answer = { id: job.id, parameters: parametersOf(json), outcomes };
    }
  } catch (e) {
    const error = isOipError(e) ? { status: e.status, message: e.message } : { status: 500, message: "the request could not be read" };
    answer = { id: job.id, outcomes: job.signatures.map(() => ({ error })) };
  }
  // The body goes back to the HTTP thread, which keeps it for the request's life (it was transferred here).
  if (job.transferred) {
    answer.body = job.body;
    transfer.push(job.body);
  }
  port.postMessage(answer, transfer);
});

/** One reading of the request, its tensors' buffers added to `transfer`; a refusal as its status and message. */
function outcomeOf(read: () => InferRequest, transfer: ArrayBuffer[]): ParseOutcome {
  try {
    const request = read();
    for (const [name, t] of request.inputs) {
      if (Array.isArray(t.data)) continue;
      // Small arrays are views into a shared slab, binary tensors and gRPC's fixed-size contents views of the bytes
      // that came: copied, so only their own bytes travel.
      const data = isWholeBuffer(t.data) ? t.data : t.data.slice();
      request.inputs.set(name, { ...t, data });
      transfer.push(data.buffer as ArrayBuffer);
    }
    return { request };
  } catch (e) {
    if (isOipError(e)) return { error: { status: e.status, message: e.message } };
    throw e;
  }
}
