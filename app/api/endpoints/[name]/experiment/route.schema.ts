import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { endpointParams, errorSchema } from "../rollout/route.schema";

export const experimentQuery = z.object({
  from: z.string().optional().describe("ISO 8601 or epoch ms; default: an hour before `to`"),
  to: z.string().optional().describe("ISO 8601 or epoch ms; default: now"),
});

const proportion = z.object({ n: z.number(), x: z.number(), rate: z.number().nullable() });

export const experimentSchema = z.object({
  endpoint: z.string(),
  model: z.string(),
  window: z.object({ from: z.string(), to: z.string() }),
  versions: z.array(
    z.object({
      version: z.number(),
      variants: z.array(z.string()),
      share: z.number(),
      arm: z.enum(["A", "B"]).nullable(),
      requests: z.number(),
      errors: z.number(),
      errorRate: z.number().nullable(),
      p50Ms: z.number().nullable(),
      p95Ms: z.number().nullable(),
      p99Ms: z.number().nullable(),
      outputs: z.object({ source: z.enum(["rollups", "prediction_log"]), counts: z.array(z.object({ label: z.string(), count: z.number() })) }).nullable(),
      shadow: z.object({ count: z.number(), agreement: z.number().nullable(), meanAbsDiff: z.number().nullable() }).nullable(),
      quality: z
        .object({
          version: z.number(),
          variants: z.array(z.string()),
          kind: z.enum(["classification", "regression"]),
          n: z.number(),
          accuracy: z.number().nullable(),
          correct: z.number(),
          mae: z.number().nullable(),
          unreadable: z.number(),
        })
        .nullable(),
    }),
  ),
  test: z
    .object({
      metric: z.enum(["error_rate", "accuracy"]),
      armA: z.object({ version: z.number(), label: z.string() }),
      armB: z.object({ version: z.number(), label: z.string() }),
      verdict: z.enum(["B is better", "A is better", "no difference yet", "no difference"]),
      a: proportion,
      b: proportion,
      difference: z.number().nullable().describe("rate of B minus rate of A"),
      pValue: z.number().describe("always-valid p-value (mSPRT)"),
      ci: z.tuple([z.number(), z.number()]).describe("always-valid confidence interval for the difference"),
      likelihoodRatio: z.number(),
      looks: z.number(),
      alpha: z.number(),
      tau: z.number(),
      equivalenceMargin: z.number(),
      minSamples: z.number(),
    })
    .nullable(),
});

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/endpoints/{name}/experiment",
    summary: "Compare the endpoint's variants: traffic, errors, latency, outputs, shadow agreement, accuracy, and a sequential test",
    description:
      "The test is a mixture SPRT (always valid: refreshing the page does not inflate false positives) of B (the canary's " +
      "candidate, else the second-heaviest variant) against A, on accuracy when both have feedback, else on error rate.",
    tags: ["experiments"],
    role: "viewer",
    params: endpointParams,
    query: experimentQuery,
    responses: { 200: experimentSchema, 400: errorSchema, 404: errorSchema },
  },
]);
