import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { deliverySchema, errorSchema } from "@/lib/alerts/api-schemas";
import { webhookParams } from "../route.schema";

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/webhooks/{id}/deliveries",
    summary: "A webhook's recent deliveries (newest first, up to 100)",
    tags: ["webhooks"],
    role: "admin",
    params: webhookParams,
    responses: { 200: z.object({ deliveries: z.array(deliverySchema) }), 404: errorSchema },
  },
]);
