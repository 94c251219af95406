import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { alertSchema, errorSchema, idParams } from "@/lib/alerts/api-schemas";

export const assignBody = z.object({ userId: z.string().min(1, "userId must be a user id, or null to unassign").nullable().describe("null to unassign") }).strict();

export const contracts = defineContracts([
  {
    method: "post",
    path: "/api/alerts/{id}/assign",
    summary: "Assign an alert",
    description: "Sets or clears the assignee (an existing, enabled user). Allowed in any status.",
    tags: ["alerts"],
    role: "operator",
    params: idParams,
    body: assignBody,
    responses: { 200: alertSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema },
  },
]);
