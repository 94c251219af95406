import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { endpointParams, errorSchema } from "../rollout/route.schema";

export const explainBody = z
  .object({
    headers: z.record(z.string(), z.string()).default({}).describe("request headers, e.g. { \"x-segment\": \"beta\" }"),
    parameters: z.record(z.string(), z.unknown()).optional().describe("the OIP request's parameters object"),
    config: z.unknown().optional().describe("a draft routing config to test instead of the saved one"),
  })
  .strict();

export const explanationSchema = z
  .object({
    variant: z.string(),
    version: z.number(),
    reason: z.enum(["rule", "sticky", "weight"]),
    summary: z.string().describe('e.g. "this request goes to candidate (v4): rule 1 matched (header x-segment equals \\"beta\\")"'),
    deterministic: z.boolean(),
    rules: z.array(z.object({ index: z.number(), variant: z.string(), outcome: z.string(), detail: z.string() })),
    shares: z.array(z.object({ variant: z.string(), version: z.number(), share: z.number() })),
    generation: z.number(),
    draft: z.boolean(),
  })
  .passthrough();

export const contracts = defineContracts([
  {
    method: "post",
    path: "/api/endpoints/{name}/explain",
    summary: "Explain which variant and version would answer a request with these headers and parameters",
    description: "Uses the saved routing config with aliases resolved now, or a draft config sent as `config`. A weighted choice is drawn at random.",
    tags: ["endpoints"],
    role: "viewer",
    params: endpointParams,
    body: explainBody,
    responses: { 200: explanationSchema, 400: errorSchema, 404: errorSchema },
  },
]);
