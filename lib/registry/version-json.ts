/** The API shape of a model version (BigInt sizes as numbers, dates as ISO strings). */
import type { ModelSignature } from "@/lib/tensor/datatypes";
import type { RegistryReferenceSummary } from "./summarize-reference-table";

export interface VersionRow {
  version: number;
  status: string;
  statusReason: string | null;
  sha256: string;
  sizeBytes: bigint | number;
  signature: unknown;
  irVersion: number | null;
  opset: number | null;
  producer: string | null;
  metadata: unknown;
  description: string;
  source: string | null;
  sourceUrl: string | null;
  parentVersion: number | null;
  uploadedByLabel: string | null;
  uploadedFrom: string | null;
  referenceKey: string | null;
  referenceSummary: unknown;
  validationMs: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export function versionJson(model: string, v: VersionRow, aliases: string[] = []) {
  return {
    model,
    version: v.version,
    status: v.status,
    statusReason: v.statusReason,
    sha256: v.sha256,
    sizeBytes: Number(v.sizeBytes),
    signature: (v.signature ?? null) as ModelSignature | null,
    irVersion: v.irVersion,
    opset: v.opset,
    producer: v.producer,
    metadata: (v.metadata ?? {}) as Record<string, string>,
    description: v.description,
    source: v.source,
    sourceUrl: v.sourceUrl,
    parentVersion: v.parentVersion,
    uploadedBy: v.uploadedByLabel,
    uploadedFrom: v.uploadedFrom,
    hasReference: !!v.referenceKey,
    referenceSummary: (v.referenceSummary ?? null) as RegistryReferenceSummary | null,
    validationMs: v.validationMs,
    aliases,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}

export type VersionJson = ReturnType<typeof versionJson>;
