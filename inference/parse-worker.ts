/**
 * The parse worker: reads large JSON inference bodies off the HTTP thread (body-parser.ts). JSON.parse of a 64 MB
 * body takes most of a second, and the HTTP thread answers nothing meanwhile; here it takes the same time while the
 * HTTP thread serves everyone else. Each body is parsed once and read against every signature its endpoint's
 * versions have (routing, which picks the version, needs the request's parameters first). Started through
 * worker-bootstrap.mjs; speaks body-parser.ts's ParseJob / ParseAnswer.
 */
import { parentPort } from "node:worker_threads";
import { isOipError } from "@/lib/oip/oip-error";
import { isWholeBuffer } from "@/lib/oip/oip-tensor";
import { parametersOf, readInferRequest, readJson } from "@/lib/oip/parse-infer-request";
import type { ParseAnswer, ParseJob, ParseOutcome } from "./body-parser";

const port = parentPort!;

port.on("message", (job: ParseJob) => {
  const body = Buffer.from(job.body, job.offset, job.length);
  const transfer: ArrayBuffer[] = [];
  let answer: ParseAnswer;
  try {
    const json = readJson(body, undefined);
    const parameters = parametersOf(json);
    const outcomes = job.signatures.map((signature): ParseOutcome => {
      try {
        const request = readInferRequest(json, body, undefined, signature, job.limits);
        for (const [name, t] of request.inputs) {
          if (Array.isArray(t.data)) continue;
          // Small arrays are views into a shared slab: copied, so only their own bytes travel and the slab stays.
          const data = isWholeBuffer(t.data) ? t.data : t.data.slice();
          request.inputs.set(name, { ...t, data });
          transfer.push(data.buffer as ArrayBuffer);
        }
        return { request };
      } catch (e) {
        if (isOipError(e)) return { error: { status: e.status, message: e.message } };
        throw e;
      }
    });
    answer = { id: job.id, parameters, outcomes };
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
