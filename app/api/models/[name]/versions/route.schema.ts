import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { errorSchema, nameParam, uploadFailedSchema, uploadResponseSchema } from "@/lib/registry/api-schemas";

export const uploadParams = z.object({ name: nameParam });

export const contracts = defineContracts([
  {
    method: "post",
    path: "/api/models/{name}/versions",
    summary: "Upload a model version",
    description:
      "Registers the next version (creating the model on first upload). The body is streamed to the content-addressed " +
      "store and validated in an isolated process: 201 when ready, 422 with the reason when validation fails (the " +
      "version is kept as `failed`), 413 over FERRY_MAX_MODEL_BYTES.",
    tags: ["registry"],
    role: "operator",
    params: uploadParams,
    body: {
      multipart: {
        file: {
          type: "file",
          required: true,
          description:
            "the .onnx model. A scikit-learn classifier as skl2onnx exports it (a ZipMap output, a sequence of maps) is served with that output as its " +
            "probabilities tensor [rows, classes], labelled with the ZipMap's classes; the file is stored as uploaded.",
        },
        reference: { type: "file", description: "reference dataset for drift: CSV with a header row, or JSON rows" },
        labels: {
          type: "file",
          description:
            "class labels (Triton's label file): one per line, class 0 first, for the model's score output; or a JSON object of label lists by output name. " +
            "A list that does not fit the output's classes fails the version (422). Classification answers and Try it name the classes. Replaces a ZipMap's classes.",
        },
        metrics: {
          type: "string",
          description: "training metrics: a JSON object of finite numbers by name, or lines of name=value (auc=0.93); a malformed field is a 400 before a version is allocated",
        },
        description: { type: "string" },
        source: { type: "string", description: "where the upload comes from: ui, api, cli, ci…" },
        sourceUrl: { type: "string", description: "link to the training run or commit" },
        parentVersion: { type: "string", description: "the version this one derives from (default: the previous one)" },
      },
    },
    responses: { 201: uploadResponseSchema, 400: errorSchema, 413: errorSchema, 415: errorSchema, 422: uploadFailedSchema },
  },
]);
