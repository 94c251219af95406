import { defineContracts } from "@/lib/openapi/contract";
import { alertSchema, errorSchema, idParams } from "@/lib/alerts/api-schemas";

export const contracts = defineContracts([
  {
    method: "post",
    path: "/api/alerts/{id}/resolve",
    summary: "Resolve an alert",
    description: "Any unresolved status → resolved; a later breach opens a new alert. 409 when already resolved.",
    tags: ["alerts"],
    role: "operator",
    params: idParams,
    responses: { 200: alertSchema, 404: errorSchema, 409: errorSchema },
  },
]);
