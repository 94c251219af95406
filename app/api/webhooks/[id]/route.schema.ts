import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { errorSchema } from "@/lib/alerts/api-schemas";

export const webhookParams = z.object({ id: z.string().describe("webhook id") });

export const contracts = defineContracts([
  {
    method: "delete",
    path: "/api/webhooks/{id}",
    summary: "Delete a webhook and its delivery history",
    tags: ["webhooks"],
    role: "admin",
    params: webhookParams,
    responses: { 204: null, 404: errorSchema },
  },
]);
