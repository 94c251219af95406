import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { errorSchema } from "@/lib/registry/api-schemas";
import { instant, storedDriftReportSchema } from "@/lib/drift/drift-api-schemas";

export const driftParams = z.object({ name: z.string().describe("endpoint name") });

export const driftQuery = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    version: z.coerce.number().int().positive().optional().describe("evaluate this version instead of the one that served most rows"),
  })
  .refine((q) => (q.from === undefined) === (q.to === undefined), "give both from and to, or neither");

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/endpoints/{name}/drift",
    summary: "Per-feature drift against the serving version's reference",
    description:
      "With from and to: computed now from the sketches of that window (not stored). Without: the latest stored report, " +
      "or the last hour up to now (the running minute included) computed now when there is none. Every statistic is reported; `method`/`threshold` decide `drifted`.",
    tags: ["drift"],
    role: "viewer",
    params: driftParams,
    query: driftQuery,
    responses: { 200: storedDriftReportSchema, 400: errorSchema, 404: errorSchema },
  },
]);
