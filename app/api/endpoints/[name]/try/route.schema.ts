import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { endpointParams } from "../route.schema";

export const tryBody = z.object({
  request: z.record(z.string(), z.unknown()).describe("an Open Inference Protocol request body: { inputs: [...] }"),
  headers: z.record(z.string(), z.string()).optional().describe("extra request headers, e.g. to exercise header routing rules"),
});

export const tryResponse = z.object({
  status: z.number().int(),
  body: z.unknown(),
  servedVersion: z.string().nullable(),
  latencyMs: z.number(),
  labels: z.record(z.string(), z.array(z.string())).optional().describe("the serving version's class labels by output name, when it has them"),
});

export const contracts = defineContracts([
  {
    method: "post",
    path: "/api/endpoints/{name}/try",
    summary: "Send one inference request through the data plane (the dashboard's Try it panel)",
    tags: ["endpoints"],
    role: "operator",
    params: endpointParams,
    body: tryBody,
    responses: { 200: tryResponse, 400: null, 503: null },
  },
]);
