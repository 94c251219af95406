import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { errorSchema, nameParam, versionDetailSchema } from "@/lib/registry/api-schemas";

export const versionParams = z.object({ name: nameParam, version: z.string().regex(/^\d+$/) });

export const patchVersionBody = z
  .object({
    description: z.string().max(10_000).optional(),
    status: z.enum(["archived", "ready"]).optional().describe("archive, or restore an archived version"),
    labels: z
      .union([z.string(), z.array(z.string()), z.record(z.string(), z.array(z.string())), z.null()])
      .optional()
      .describe("new class labels: a label file's text (one per line, or JSON), a list for the score output, or lists by output name; null removes them. 400 when they do not fit the outputs"),
    metrics: z
      .union([z.string(), z.record(z.string(), z.number()), z.null()])
      .optional()
      .describe("training metrics, replacing the version's: an object of finite numbers by name, or text of name=value lines; null removes them"),
  })
  .strict();

export const deleteVersionResponse = z.object({
  model: z.string(),
  version: z.int(),
  artifacts: z.object({ deleted: z.int().describe("files removed: the model file and reference dataset, unless another version has the same bytes"), bytes: z.int() }),
});

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/models/{name}/versions/{version}",
    summary: "Get a model version",
    description: "Signature, metadata, reference-dataset summary, lineage, aliases and the endpoints routing to it.",
    tags: ["registry"],
    role: "viewer",
    params: versionParams,
    responses: { 200: versionDetailSchema, 404: errorSchema },
  },
  {
    method: "patch",
    path: "/api/models/{name}/versions/{version}",
    summary: "Edit or archive a model version",
    description:
      "Edits the description, the class labels (data planes serving the model use new labels at once) or the training metrics, archives or restores. " +
      "Archiving is refused (409) while an endpoint routes to the version or an alias points at it.",
    tags: ["registry"],
    role: "operator",
    params: versionParams,
    body: patchVersionBody,
    responses: { 200: versionDetailSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema },
  },
  {
    method: "delete",
    path: "/api/models/{name}/versions/{version}",
    summary: "Delete an archived model version",
    description:
      "Only an archived version (409 otherwise: archiving checks that no endpoint or alias uses it). Removes the version and its files unless another version has the same bytes; its number is never given again.",
    tags: ["registry"],
    role: "operator",
    params: versionParams,
    responses: { 200: deleteVersionResponse, 404: errorSchema, 409: errorSchema },
  },
]);
