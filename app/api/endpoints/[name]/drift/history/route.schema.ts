import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { errorSchema } from "@/lib/registry/api-schemas";
import { driftHistorySchema, instant } from "@/lib/drift/drift-api-schemas";

export const historyParams = z.object({ name: z.string().describe("endpoint name") });

export const historyQuery = z.object({
  feature: z.string().min(1).optional().describe("a feature name, or output:<name>; omitted: the share of drifted features"),
  from: instant.optional().describe("default: 24 hours before to"),
  to: instant.optional().describe("default: now"),
});

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/endpoints/{name}/drift/history",
    summary: "A feature's drift score over time",
    description: "One point per stored report (at the end of its window) with the threshold it was judged against.",
    tags: ["drift"],
    role: "viewer",
    params: historyParams,
    query: historyQuery,
    responses: { 200: driftHistorySchema, 400: errorSchema, 404: errorSchema },
  },
]);
