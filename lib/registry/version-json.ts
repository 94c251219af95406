/** The API shape of a model version (BigInt sizes as numbers, dates as ISO strings). */
import { signatureTensors, type ModelSignature } from "@/lib/tensor/datatypes";
import type { RegistryReferenceSummary } from "./summarize-reference-table";
import { metricsOf } from "./version-metrics";

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
  metrics: unknown;
  validationMs: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * `labels: false` (a model's list of versions) leaves the signature's class labels out: tens of thousands of labels a
 * version, times every version, would make the list heavy; the version's own GET has them.
 */
export function versionJson(model: string, v: VersionRow, aliases: string[] = [], opts: { labels?: boolean } = {}) {
  const signature = (v.signature ?? null) as ModelSignature | null;
  return {
    model,
    version: v.version,
    status: v.status,
    statusReason: v.statusReason,
    sha256: v.sha256,
    sizeBytes: Number(v.sizeBytes),
    signature: signature && opts.labels === false ? signatureTensors(signature) : signature,
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
    metrics: metricsOf(v.metrics) ?? {},
    aliases,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}

export type VersionJson = ReturnType<typeof versionJson>;
