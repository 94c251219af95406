import { defineContracts } from "@/lib/openapi/contract";
import { alertSchema, errorSchema, idParams } from "@/lib/alerts/api-schemas";

export const contracts = defineContracts([
  {
    method: "post",
    path: "/api/alerts/{id}/acknowledge",
    summary: "Acknowledge an alert",
    description: "open or muted → acknowledged. 409 when already acknowledged or resolved.",
    tags: ["alerts"],
    role: "operator",
    params: idParams,
    responses: { 200: alertSchema, 404: errorSchema, 409: errorSchema },
  },
]);
