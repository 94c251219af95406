/** The totals of a window of rollups as the metrics and fleet APIs answer them (the shape of `MetricTotals`). */
import { z } from "zod";

export const metricTotalsSchema = z.object({
  requests: z.number(),
  rps: z.number(),
  errors: z.number(),
  errorRate: z.number().nullable(),
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
  meanMs: z.number().nullable(),
});
