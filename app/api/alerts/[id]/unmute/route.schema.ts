import { defineContracts } from "@/lib/openapi/contract";
import { alertSchema, errorSchema, idParams } from "@/lib/alerts/api-schemas";

export const contracts = defineContracts([
  {
    method: "post",
    path: "/api/alerts/{id}/unmute",
    summary: "Unmute an alert",
    description: "muted → open (or acknowledged if it had been acknowledged). 409 when not muted.",
    tags: ["alerts"],
    role: "operator",
    params: idParams,
    responses: { 200: alertSchema, 404: errorSchema, 409: errorSchema },
  },
]);
