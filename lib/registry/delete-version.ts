/**
 * Deletes an archived version: its row, any promotion request still pending for it (rejected, with the reason), and
 * then its files unless another version uses the same bytes. Only archived versions: archiving is where Ferry checks
 * that no endpoint routes to the version and no alias points at it, so deletion is two deliberate steps and never
 * pulls a version from under traffic. Its number is not given again (`Model.lastVersion`); rollups, logs and audit
 * events that name it stay.
 */
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { collectDeletedFiles, type CollectedArtifacts } from "@/lib/artifacts/collect-artifacts";
import { conflict, notFound } from "@/lib/errors";
import { lockModel } from "./lock-model";
import { parseModelName, parseVersionNumber } from "./model-name";

export async function deleteVersion(o: { db: Db; actor: Actor; name: string; version: number | string; artifactDir?: string }): Promise<{ model: string; version: number; artifacts: CollectedArtifacts }> {
  const name = parseModelName(o.name);
  const version = parseVersionNumber(o.version);
  const deleted = await o.db.$transaction(async (tx) => {
    const model = await lockModel(tx, name);
    const v = await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version } } });
    if (!v) throw notFound(`model '${name}' has no version ${version}`);
    if (v.status !== "archived") {
      throw conflict(`version ${version} is ${v.status}: archive it first (archiving checks that no endpoint or alias uses it), then delete it`);
    }
    await tx.promotionRequest.updateMany({
      where: { modelId: model.id, version, status: "pending" },
      data: { status: "rejected", decidedById: o.actor.id, decidedBy: o.actor.label, decidedAt: new Date(), note: "the version was deleted" },
    });
    await tx.modelVersion.delete({ where: { id: v.id } });
    await recordAudit(tx, o.actor, {
      action: "version.delete",
      objectType: "model_version",
      objectId: `${name}@${version}`,
      before: { status: v.status, sha256: v.sha256, sizeBytes: Number(v.sizeBytes), description: v.description, reference: v.referenceKey !== null },
    });
    return v;
  });
  // After the commit: the files go only once no row refers to them.
  const artifacts = await collectDeletedFiles({ db: o.db, dir: o.artifactDir, versions: [deleted], what: { model: name, version } });
  return { model: name, version, artifacts };
}
