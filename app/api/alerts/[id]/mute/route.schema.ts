import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { alertSchema, errorSchema, idParams } from "@/lib/alerts/api-schemas";

export const muteBody = z.object({ minutes: z.number().int().min(1).max(43_200).describe("1 minute to 30 days") }).strict();

export const contracts = defineContracts([
  {
    method: "post",
    path: "/api/alerts/{id}/mute",
    summary: "Mute an alert for a period",
    description: "Status muted until now + minutes (no notifications); it then returns to open, or acknowledged if it had been. Muting a muted alert sets a new end. 409 when resolved.",
    tags: ["alerts"],
    role: "operator",
    params: idParams,
    body: muteBody,
    responses: { 200: alertSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema },
  },
]);
