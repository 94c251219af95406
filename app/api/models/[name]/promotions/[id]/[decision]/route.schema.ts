import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { aliasMoveSchema, errorSchema, nameParam } from "@/lib/registry/api-schemas";

export const decisionParams = z.object({ name: nameParam, id: z.string(), decision: z.enum(["approve", "reject"]) });
export const decisionBody = z
  .object({ note: z.string().max(1000).optional(), force: z.boolean().optional() })
  .strict();

export const contracts = defineContracts(
  (["approve", "reject"] as const).map((d) => ({
    method: "post" as const,
    path: `/api/models/{name}/promotions/{id}/${d}`,
    summary: d === "approve" ? "Approve a promotion request (moves the alias)" : "Reject a promotion request",
    description: "Another operator than the requester must decide.",
    tags: ["registry"],
    role: "operator" as const,
    params: decisionParams.omit({ decision: true }),
    body: decisionBody,
    responses: { 200: aliasMoveSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
  })),
);
