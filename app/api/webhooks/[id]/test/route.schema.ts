import { defineContracts } from "@/lib/openapi/contract";
import { deliverySchema, errorSchema } from "@/lib/alerts/api-schemas";
import { webhookParams } from "../route.schema";

export const contracts = defineContracts([
  {
    method: "post",
    path: "/api/webhooks/{id}/test",
    summary: "Send a test event now",
    description: "Sends a signed `webhook.test` event right away and answers with the delivery (status, responseStatus, lastError); a failure is retried like any delivery.",
    tags: ["webhooks"],
    role: "admin",
    params: webhookParams,
    responses: { 200: deliverySchema, 404: errorSchema },
  },
]);
