/**
 * The names drift reports use for an endpoint's features — input features of the model's ready versions (from their
 * reference datasets) and classifier outputs as `output:<name>` — so a per-feature override can be checked for
 * typos. Null when no version has a reference to take names from (nothing to check against).
 */
import type { Tx } from "@/lib/db/client";
import { buildDriftSpec, type BoundReferenceSummary } from "@/lib/drift/drift-spec";
import type { ModelSignature } from "@/lib/tensor/datatypes";

export async function knownDriftFeatures(tx: Pick<Tx, "modelVersion">, config: unknown): Promise<Set<string> | null> {
  const model = (config as { model?: unknown } | null)?.model;
  if (typeof model !== "string") return null;
  const versions = await tx.modelVersion.findMany({
    where: { model: { name: model }, status: "ready" },
    select: { referenceSummary: true, signature: true },
  });
  const names = new Set<string>();
  for (const v of versions) {
    const spec = buildDriftSpec(v.referenceSummary as BoundReferenceSummary | null, v.signature as ModelSignature | null);
    for (const f of spec?.features ?? []) names.add(f.name);
    for (const o of spec?.outputs ?? []) names.add(`output:${o.name}`);
  }
  return names.size > 0 ? names : null;
}
