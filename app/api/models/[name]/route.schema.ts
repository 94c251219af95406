import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { modelDetailSchema, nameParam } from "@/lib/registry/api-schemas";

export const modelParams = z.object({ name: nameParam });

export const patchModelBody = z
  .object({
    description: z.string().max(10_000).optional(),
    tags: z.array(z.string().max(40).regex(/^[\w.:-]+$/, "tags: letters, digits, '.', ':', '_' or '-'")).max(30).optional(),
    requireApproval: z.boolean().optional().describe("promotions to `production` need approval by a second operator"),
  })
  .strict();

export const deleteModelResponse = z.object({
  model: z.string(),
  versions: z.int().describe("versions deleted with it"),
  artifacts: z.object({ deleted: z.int().describe("files removed (those no other model's version has the same bytes of)"), bytes: z.int() }),
});

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/models/{name}",
    summary: "Get a model",
    description: "Versions, aliases, alias history, promotion requests and endpoints.",
    tags: ["registry"],
    role: "viewer",
    params: modelParams,
    responses: { 200: modelDetailSchema, 404: null },
  },
  {
    method: "patch",
    path: "/api/models/{name}",
    summary: "Edit a model",
    tags: ["registry"],
    role: "operator",
    params: modelParams,
    body: patchModelBody,
    responses: { 200: modelDetailSchema, 400: null, 404: null },
  },
  {
    method: "delete",
    path: "/api/models/{name}",
    summary: "Delete a model",
    description:
      "With its versions, aliases, alias history, promotion requests and files. Refused (409) while an endpoint serves the model or a version is still validating.",
    tags: ["registry"],
    role: "operator",
    params: modelParams,
    responses: { 200: deleteModelResponse, 404: null, 409: null },
  },
]);
