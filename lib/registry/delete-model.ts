/**
 * Deletes a model with everything in the registry that hangs on it — versions, aliases, alias history, promotion
 * requests — and then the files no other model's versions use. Refused while an endpoint serves the model (delete it
 * first: endpoints are what route traffic, so with none no version of the model is loaded anywhere) or while a version
 * is still validating (an upload in flight). The dashboard asks for the model's name first. The name is free
 * afterwards, and a new model of that name starts again at v1; the audit log keeps what was deleted.
 */
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { collectDeletedFiles, type CollectedArtifacts } from "@/lib/artifacts/collect-artifacts";
import { conflict } from "@/lib/errors";
import { lockModel } from "./lock-model";
import { parseModelName, quotedNames } from "./model-name";

export async function deleteModel(o: { db: Db; actor: Actor; name: string; artifactDir?: string }): Promise<{ model: string; versions: number; artifacts: CollectedArtifacts }> {
  const name = parseModelName(o.name);
  const deleted = await o.db.$transaction(async (tx) => {
    const model = await lockModel(tx, name);
    const endpoints = await tx.endpoint.findMany({ where: { modelId: model.id }, select: { name: true }, orderBy: { name: "asc" } });
    if (endpoints.length) {
      const n = endpoints.length;
      throw conflict(`model '${name}' is served by endpoint${n > 1 ? "s" : ""} ${quotedNames(endpoints.map((e) => e.name))}: delete ${n > 1 ? "them" : "it"} first`);
    }
    const rows = await tx.modelVersion.findMany({ where: { modelId: model.id }, select: { version: true, status: true, storageKey: true, referenceKey: true }, orderBy: { version: "asc" } });
    const validating = rows.filter((v) => v.status === "validating");
    if (validating.length) {
      throw conflict(`model '${name}' has a version being validated (${validating.map((v) => `v${v.version}`).join(", ")}): wait for the upload to finish, then delete the model`);
    }
    const aliases = await tx.alias.findMany({ where: { modelId: model.id }, select: { name: true }, orderBy: { name: "asc" } });
    // Aliases first (an alias's version may not go before it); versions, alias history and promotion requests go with
    // the model (ON DELETE CASCADE).
    await tx.alias.deleteMany({ where: { modelId: model.id } });
    await tx.model.delete({ where: { id: model.id } });
    await recordAudit(tx, o.actor, {
      action: "model.delete",
      objectType: "model",
      objectId: name,
      before: { description: model.description, tags: model.tags, versions: rows.map((v) => v.version), aliases: aliases.map((a) => a.name) },
    });
    return rows;
  });
  const artifacts = await collectDeletedFiles({ db: o.db, dir: o.artifactDir, versions: deleted, what: { model: name } });
  return { model: name, versions: deleted.length, artifacts };
}
