import { defineContracts } from "@/lib/openapi/contract";
import { alertListQuery, alertListSchema } from "@/lib/alerts/api-schemas";

export { alertListQuery };

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/alerts",
    summary: "List alerts",
    description: "Newest activity (lastFiredAt) first. Filter by status, severity, endpoint name and signal; paged.",
    tags: ["alerts"],
    role: "viewer",
    query: alertListQuery,
    responses: { 200: alertListSchema },
  },
]);
