/** The class labels of a model's versions, read from their signatures, for the places that name classes by them. */
import type { Db } from "@/lib/db/client";
import type { ModelSignature } from "@/lib/tensor/datatypes";

/** Class labels by output name, per version number. */
export type VersionLabels = ReadonlyMap<number, Readonly<Record<string, readonly string[]>>>;

/** The class labels of these versions of a model, those that have them (only these versions' signatures are read). */
export async function loadVersionLabels(db: Db, modelId: string, versions: Iterable<number>): Promise<VersionLabels> {
  const wanted = [...new Set(versions)];
  if (!wanted.length) return new Map();
  const rows = await db.modelVersion.findMany({ where: { modelId, version: { in: wanted } }, select: { version: true, signature: true } });
  const labels = new Map<number, Record<string, string[]>>();
  for (const v of rows) {
    const l = (v.signature as ModelSignature | null)?.labels;
    if (l) labels.set(v.version, l);
  }
  return labels;
}
