/**
 * The "Call this version" example on a version's page: a curl command that sends an inference request pinned to the
 * version through an endpoint that serves it (`/v2/models/{endpoint}/versions/{v}/infer`, which bypasses routing).
 * Small requests are written inline; large ones are read from a file whose shape the page describes. Pure.
 */
import { concreteShape, exampleElementCount, exampleInferRequest, MANY_ELEMENTS } from "@/lib/oip/example-request";
import { inferCurl, inferUrl } from "@/lib/oip/infer-curl";
import type { TensorSpec } from "@/lib/tensor/datatypes";

/** Above this many elements in all, the body is not written inline (a wall of zeros helps nobody). */
export const INLINE_ELEMENTS = MANY_ELEMENTS;

export interface CallExample {
  url: string;
  /** The shell command, lines joined with a backslash-newline. */
  curl: string;
  /** The request body when it is written inline; otherwise undefined and `request.json` is described instead. */
  body?: string;
  /** For large requests: what request.json must hold, per input. */
  fileInputs?: { name: string; datatype: string; shape: number[]; elements: number }[];
}

export function callVersionExample(opts: { inferenceUrl: string; endpoint: string; version: number; inputs: readonly TensorSpec[] }): CallExample {
  const url = inferUrl(opts.inferenceUrl, opts.endpoint, opts.version);
  const total = opts.inputs.reduce((n, i) => n + exampleElementCount(i.shape), 0);
  if (total <= INLINE_ELEMENTS) {
    const body = JSON.stringify(exampleInferRequest(opts.inputs));
    return { url, body, curl: inferCurl(url, body) };
  }
  return {
    url,
    curl: inferCurl(url, undefined),
    fileInputs: opts.inputs.map((i) => ({ name: i.name, datatype: i.datatype, shape: concreteShape(i.shape), elements: exampleElementCount(i.shape) })),
  };
}
