import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { endpointListItemSchema } from "@/lib/endpoints/api-schemas";

export const listEndpointsResponse = z.object({ endpoints: z.array(endpointListItemSchema) });

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/endpoints",
    summary: "List endpoints",
    description: "Every endpoint with its variants, traffic shares, resolved versions and data-plane states.",
    tags: ["endpoints"],
    role: "viewer",
    responses: { 200: listEndpointsResponse },
  },
]);
