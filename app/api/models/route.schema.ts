import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { modelListItemSchema } from "@/lib/registry/api-schemas";

export const listModelsQuery = z.object({
  q: z.string().max(200).optional().describe("search in names, descriptions and tags"),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export const listModelsResponse = z.object({ models: z.array(modelListItemSchema) });

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/models",
    summary: "List models",
    description: "Each model with its latest version, aliases, the endpoints serving it and its last upload.",
    tags: ["registry"],
    role: "viewer",
    query: listModelsQuery,
    responses: { 200: listModelsResponse },
  },
]);
