import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { errorSchema, nameParam } from "@/lib/registry/api-schemas";

export const downloadParams = z.object({ name: nameParam, version: z.string().regex(/^\d+$/) });

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/models/{name}/versions/{version}/download",
    summary: "Download a model version's .onnx file",
    description: "The artifact's sha256 is checked before it is sent; a tampered artifact answers 409.",
    tags: ["registry"],
    role: "viewer",
    params: downloadParams,
    responses: { 200: null, 404: errorSchema, 409: errorSchema },
  },
]);
