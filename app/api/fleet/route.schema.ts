import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { metricTotalsSchema } from "@/lib/metrics/metric-totals-schema";

export const fleetResponse = z.object({
  from: z.string(),
  to: z.string(),
  step: z.number().describe("sparkline bucket width, seconds"),
  endpoints: z.array(
    metricTotalsSchema.extend({
      name: z.string(),
      model: z.string(),
      status: z.enum(["ready", "degraded", "failed", "loading", "not_serving"]),
      versions: z.array(z.object({ version: z.number(), state: z.string() })),
      openAlerts: z.number(),
      criticalAlerts: z.number(),
      sparkline: z.array(z.object({ t: z.number(), requests: z.number(), p95: z.number().nullable(), errorRate: z.number().nullable() })),
    }),
  ),
});

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/fleet",
    summary: "Fleet overview: every endpoint's status and last hour",
    description: "Serving status from the data plane, requests / error rate / latency over the last hour, a 5-minute p95 sparkline and open alerts.",
    tags: ["monitoring"],
    role: "viewer",
    responses: { 200: fleetResponse },
  },
]);
