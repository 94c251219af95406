/** Zod schemas of the registry's API payloads, shared by the route.schema.ts files (and so the OpenAPI document). Pure. */
import { z } from "zod";
import { V2_DATATYPES } from "@/lib/tensor/datatypes";

export const nameParam = z.string().describe("model name: lowercase letters, digits, '.', '_', '-'");

export const tensorSpecSchema = z.object({
  name: z.string(),
  datatype: z.enum(V2_DATATYPES),
  shape: z.array(z.number().int()).describe("-1 = dynamic dimension"),
});

export const signatureSchema = z.object({
  inputs: z.array(tensorSpecSchema),
  outputs: z.array(tensorSpecSchema),
  labels: z
    .record(z.string(), z.array(z.string()))
    .optional()
    .describe("class labels by output name (the upload's 'labels' file): the label of class i is labels[output][i]"),
});

export const versionStatusSchema = z.enum(["validating", "ready", "failed", "archived"]);

export const uploadResponseSchema = z.object({
  model: z.string(),
  version: z.number().int(),
  status: versionStatusSchema,
  statusReason: z.string().nullable(),
  sha256: z.string(),
  sizeBytes: z.number().int(),
  signature: signatureSchema.nullable(),
  validationMs: z.number().int().nullable(),
  metrics: z.record(z.string(), z.number()).describe("training metrics reported with the version ({} when none)"),
});

export const uploadFailedSchema = uploadResponseSchema.extend({ error: z.string() });

export const versionSchema = uploadResponseSchema.extend({
  irVersion: z.number().int().nullable(),
  opset: z.number().int().nullable(),
  producer: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
  description: z.string(),
  source: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  parentVersion: z.number().int().nullable(),
  uploadedBy: z.string().nullable(),
  uploadedFrom: z.string().nullable(),
  hasReference: z.boolean(),
  referenceSummary: z.unknown().nullable(),
  aliases: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const versionDetailSchema = versionSchema.extend({ endpoints: z.array(z.string()) });

export const modelListItemSchema = z.object({
  name: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  requireApproval: z.boolean(),
  versionCount: z.number().int(),
  latest: z.object({ version: z.number().int(), status: z.string(), sizeBytes: z.number(), createdAt: z.string() }).nullable(),
  aliases: z.array(z.object({ name: z.string(), version: z.number().int() })),
  endpoints: z.array(z.string()),
  lastUploadAt: z.string().nullable(),
  lastUploadBy: z.string().nullable(),
});

export const modelDetailSchema = z.object({
  name: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  requireApproval: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  versions: z.array(versionSchema).describe("newest first; signatures without their class labels (GET the version for them)"),
  aliases: z.array(z.object({
    name: z.string(), version: z.number().int(), updatedAt: z.string(),
    rollbackTo: z.number().int().nullable().describe("the version POST …/aliases/{alias}/rollback moves it to; null when it has not moved since its first promotion"),
  })),
  aliasHistory: z.array(z.object({
    id: z.string(), alias: z.string(), fromVersion: z.number().int().nullable(), toVersion: z.number().int(),
    kind: z.string(), forced: z.boolean(), actor: z.string().nullable(), reason: z.string().nullable(), createdAt: z.string(),
  })),
  promotionRequests: z.array(z.object({
    id: z.string(), alias: z.string(), version: z.number().int(), status: z.string(), requestedBy: z.string().nullable(),
    requestedById: z.string().nullable(), decidedBy: z.string().nullable(), note: z.string().nullable(), createdAt: z.string(),
    decidedAt: z.string().nullable(),
  })),
  endpoints: z.array(z.object({ name: z.string(), generation: z.number().int() })),
});

export const aliasMoveSchema = z.object({
  model: z.string(),
  alias: z.string(),
  version: z.number().int(),
  fromVersion: z.number().int().nullable(),
  status: z.enum(["moved", "unchanged", "pending", "approved", "rejected"]),
  forced: z.boolean().optional(),
  endpoints: z.array(z.string()).optional(),
  requestId: z.string().optional(),
});

export const errorSchema = z.object({ error: z.string(), details: z.unknown().optional() });
