// The data plane's spec loader for the sketch recorder: what to sketch for a version of an endpoint, read from the
// version's stored reference summary and signature. Returns null when the version has no reference dataset (then
// nothing is recorded for it). No Next.js: runs in the data plane.
import type { Db } from "@/lib/db/client";
import { buildDriftSpec, type BoundReferenceSummary, type DriftSpec } from "@/lib/drift/drift-spec";
import type { ModelSignature } from "@/lib/tensor/datatypes";

export async function loadDriftSpec(db: Db, endpointId: string, version: number): Promise<DriftSpec | null> {
  const endpoint = await db.endpoint.findUnique({ where: { id: endpointId }, select: { modelId: true } });
  if (!endpoint) return null;
  const row = await db.modelVersion.findUnique({
    where: { modelId_version: { modelId: endpoint.modelId, version } },
    select: { referenceSummary: true, signature: true },
  });
  if (!row) return null;
  return buildDriftSpec(row.referenceSummary as BoundReferenceSummary | null, row.signature as ModelSignature | null);
}
