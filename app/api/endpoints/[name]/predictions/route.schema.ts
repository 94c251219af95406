import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { endpointParams } from "../route.schema";

export const MAX_EXPORT = 10_000;

export const predictionsQuery = z.object({
  version: z.coerce.number().int().min(1).optional().describe("only predictions this version served"),
  outcome: z.enum(["ok", "error"]).optional().describe("ok: answered 2xx; error: anything else that was logged"),
  requestId: z.string().min(1).max(200).optional().describe("only predictions of this request id (the id the client sent, or the x-request-id the data plane answered with; a client reusing ids has several)"),
  from: z.iso.datetime({ offset: true }).optional().describe("logged at or after, ISO 8601"),
  to: z.iso.datetime({ offset: true }).optional().describe("logged before, ISO 8601"),
  cursor: z.string().max(200).optional().describe("nextCursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(MAX_EXPORT).optional().describe(`rows per page (≤ 200, default 50); with format=jsonl the rows in the file (≤ ${MAX_EXPORT}, default 1000)`),
  format: z.enum(["json", "jsonl"]).optional().describe("jsonl: a download, one prediction per line, newest first"),
});

const tensorView = z.object({
  name: z.string(),
  datatype: z.string(),
  shape: z.array(z.number()).describe("the whole tensor's shape"),
  values: z.array(z.union([z.number(), z.string(), z.boolean()])).nullable().describe("logged elements, row-major (64-bit integers beyond 2^53 as strings); null if unreadable"),
  truncated: z.boolean().describe("only the first 256 elements were logged"),
});

export const predictionSchema = z.object({
  id: z.string().describe("the log row's id (a request id may repeat when a client reuses one; this does not)"),
  requestId: z.string().describe("the request's id (echoed to the client), or the one the data plane gave it"),
  version: z.number().int(),
  variant: z.string().nullable(),
  status: z.number().int(),
  latencyMs: z.number(),
  createdAt: z.string(),
  inputs: z.array(tensorView),
  outputs: z.array(tensorView),
  predictedClass: z
    .object({ index: z.number().int(), label: z.string().nullable().describe("the class's label, when the version has class labels") })
    .nullable()
    .describe("a one-row classifier's predicted class: the argmax of its first 2-D float output"),
  feedback: z.object({ label: z.string().nullable(), value: z.number().nullable(), createdAt: z.string() }).nullable().describe("ground truth sent to …/feedback for this request id"),
});

export const predictionsResponse = z.object({
  endpoint: z.string(),
  predictions: z.array(predictionSchema),
  nextCursor: z.string().nullable(),
});

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/endpoints/{name}/predictions",
    summary: "Sampled prediction logs of an endpoint",
    description:
      "What the data plane logged (FERRY_LOG_SAMPLE_RATE of answered requests): inputs, outputs, version, latency and request id, with ground truth joined by request id. " +
      "Newest first with keyset pagination, or a JSON Lines download (format=jsonl). Operators and admins: inputs can hold personal data.",
    tags: ["monitoring"],
    role: "operator",
    params: endpointParams,
    query: predictionsQuery,
    responses: { 200: predictionsResponse, 400: null, 404: null },
  },
]);
