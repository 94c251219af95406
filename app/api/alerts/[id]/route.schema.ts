import { defineContracts } from "@/lib/openapi/contract";
import { alertDetailSchema, errorSchema, idParams } from "@/lib/alerts/api-schemas";

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/alerts/{id}",
    summary: "An alert with its comment thread and webhook deliveries",
    tags: ["alerts"],
    role: "viewer",
    params: idParams,
    responses: { 200: alertDetailSchema, 404: errorSchema },
  },
]);
