/** Zod schemas of the drift API payloads, shared by the route.schema.ts files (and so the OpenAPI document). Pure. */
import { z } from "zod";
import { DRIFT_METHODS } from "@/lib/drift/drift-settings";

const num = z.number().nullable();

/** ISO 8601 or epoch milliseconds. */
export const instant = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const d = typeof v === "number" || /^\d+$/.test(v) ? new Date(Number(v)) : new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "must be an ISO 8601 date or epoch milliseconds" });
      return z.NEVER;
    }
    return d;
  });

export const driftStatsSchema = z.object({
  psi: num, ks: num, ks_pvalue: num, wasserstein_norm: num, jensen_shannon: num,
  chi2: num.optional(), chi2_pvalue: num.optional(), linf: num.optional(), z_pvalue: num.optional(),
});

export const featureDriftSchema = z.object({
  name: z.string(),
  kind: z.enum(["numeric", "categorical"]),
  method: z.enum(DRIFT_METHODS),
  value: num.describe("the method's value: a p-value for ks/chisquare/z, a distance otherwise"),
  threshold: z.number(),
  drifted: z.boolean(),
  stats: driftStatsSchema,
  referenceRows: z.number(),
  currentRows: z.number(),
  quality: z.object({ count: z.number(), missing: z.number(), outOfRange: z.number(), missingRate: z.number(), outOfRangeRate: z.number() }),
});

export const driftReportSchema = z.object({
  endpoint: z.string(),
  version: z.number().int().nullable().describe("the version evaluated: the one that served most rows in the window"),
  versions: z.array(z.object({ version: z.number().int(), rows: z.number() })).describe("rows each version served in the window"),
  window: z.object({ from: z.string(), to: z.string() }),
  rows: z.number().describe("rows sketched: the sample the statistics come from"),
  rowsSkipped: z
    .number()
    .optional()
    .describe("rows the version served in the window and the data plane did not sketch (past its drift budget); absent on reports stored before 2026-11-28"),
  features: z.array(featureDriftSchema),
  datasetDrift: z.boolean(),
  dataset: z.object({ datasetDrift: z.boolean(), driftedFeatures: z.number(), totalFeatures: z.number(), share: z.number(), driftShare: z.number() }),
  predictions: z.array(featureDriftSchema).describe("classifier outputs (output:<name>) against the previous window"),
  quality: z.object({ rows: z.number(), cells: z.number(), missing: z.number(), outOfRange: z.number(), missingRate: z.number(), outOfRangeRate: z.number() }),
  histograms: z.array(z.object({
    feature: z.string(),
    kind: z.enum(["numeric", "categorical"]),
    bins: z.array(z.object({ label: z.string(), reference: z.number(), current: z.number() })),
  })),
  reference: z.object({ kind: z.enum(["dataset", "window", "none"]), rows: z.number(), from: z.string().optional(), to: z.string().optional() }),
  predictionReference: z.object({ from: z.string(), to: z.string() }).nullable(),
  notes: z.array(z.string()),
});

export const storedDriftReportSchema = driftReportSchema.extend({
  id: z.string().nullable().describe("null when computed on the fly and not stored"),
  trigger: z.string().nullable(),
  createdAt: z.string(),
});

export const driftHistorySchema = z.object({
  endpoint: z.string(),
  feature: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  points: z.array(z.object({
    t: z.number().describe("end of the report's window, epoch ms"),
    reportId: z.string(),
    version: z.number().int().nullable(),
    rows: z.number(),
    value: num,
    threshold: num,
    method: z.string().nullable(),
    drifted: z.boolean(),
  })),
});
