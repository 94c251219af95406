import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { errorSchema } from "@/lib/registry/api-schemas";
import { instant, storedDriftReportSchema } from "@/lib/drift/drift-api-schemas";

export const evaluateParams = z.object({ name: z.string().describe("endpoint name") });

export const evaluateBody = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    version: z.number().int().positive().optional(),
  })
  .strict()
  .refine((b) => (b.from === undefined) === (b.to === undefined), "give both from and to, or neither");

export const evaluateResponse = storedDriftReportSchema.extend({
  alerts: z.object({ raised: z.number(), resolved: z.number() }),
});

export const contracts = defineContracts([
  {
    method: "post",
    path: "/api/endpoints/{name}/drift/evaluate",
    summary: "Evaluate drift now",
    description:
      "Evaluates the window (default: the endpoint's scheduled window length ending now, the running minute included), stores the report, " +
      "raises or resolves drift and data-quality alerts, and audits drift.evaluate.",
    tags: ["drift"],
    role: "operator",
    params: evaluateParams,
    body: evaluateBody,
    responses: { 201: evaluateResponse, 400: errorSchema, 404: errorSchema },
  },
]);
