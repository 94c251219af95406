import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { metricTotalsSchema } from "@/lib/metrics/metric-totals-schema";

export const metricsParams = z.object({ name: z.string().min(1).max(200) });

export const metricsQuery = z.object({
  from: z.iso.datetime({ offset: true }).describe("window start, ISO 8601 (aligned down to the step)"),
  to: z.iso.datetime({ offset: true }).optional().describe("window end, ISO 8601; default now"),
  step: z.coerce.number().int().min(60).optional().describe("bucket width in seconds, a multiple of 60; default adapts to the range (≤ 300 points)"),
});

const totals = metricTotalsSchema;
const point = totals.extend({ t: z.number().describe("bucket start, epoch milliseconds UTC") });

export const metricsResponse = z.object({
  endpoint: z.string(),
  from: z.string(),
  to: z.string(),
  step: z.number().describe("seconds"),
  totals,
  variants: z.array(
    z.object({
      version: z.number(),
      label: z.string(),
      totals,
      points: z.array(point).describe("buckets with traffic only: a missing bucket means no rollups (a gap, not zero)"),
    }),
  ),
});

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/endpoints/{name}/metrics",
    summary: "Request, error and latency-percentile series per served version",
    description:
      "Per-minute rollups summed across data-plane instances into buckets of `step` seconds. Latency percentiles (ms) come from merged histograms; errorRate is 0..1.",
    tags: ["monitoring"],
    role: "viewer",
    params: metricsParams,
    query: metricsQuery,
    responses: { 200: metricsResponse, 400: null, 404: null },
  },
]);
