/**
 * Creates the model on its first upload and the next version row (status `validating`), numbering versions safely
 * when uploads race: the model row is locked for the transaction, and a lost race to create the model (unique
 * violation) is retried.
 */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";

export interface AllocateVersionOptions {
  db: Db;
  actor: Actor;
  modelName: string;
  sha256: string;
  sizeBytes: number;
  storageKey: string;
  description?: string;
  source?: string;
  sourceUrl?: string;
  parentVersion?: number;
  referenceKey?: string;
}

export async function allocateVersion(opts: AllocateVersionOptions) {
  const { db, actor } = opts;
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        let model = await tx.model.findUnique({ where: { name: opts.modelName } });
        const created = !model;
        model ??= await tx.model.create({
          data: { name: opts.modelName, createdById: actor.type === "user" ? actor.id : undefined },
        });
        await tx.$queryRaw`SELECT id FROM "Model" WHERE id = ${model.id} FOR UPDATE`;
        const last = await tx.modelVersion.findFirst({ where: { modelId: model.id }, orderBy: { version: "desc" }, select: { version: true } });
        const version = (last?.version ?? 0) + 1;
        const row = await tx.modelVersion.create({
          data: {
            modelId: model.id,
            version,
            status: "validating",
            sha256: opts.sha256,
            sizeBytes: BigInt(opts.sizeBytes),
            storageKey: opts.storageKey,
            description: opts.description ?? "",
            source: opts.source,
            sourceUrl: opts.sourceUrl,
            parentVersion: opts.parentVersion ?? last?.version,
            uploadedById: actor.id,
            uploadedByLabel: actor.label,
            uploadedFrom: actor.ip,
            referenceKey: opts.referenceKey,
          },
        });
        await recordAudit(tx, actor, {
          action: "model.upload",
          objectType: "model_version",
          objectId: `${opts.modelName}@${version}`,
          after: { model: opts.modelName, version, sha256: opts.sha256, sizeBytes: opts.sizeBytes, source: opts.source, modelCreated: created },
        });
        return { model, row, created };
      });
    } catch (e) {
      if ((e as { code?: string }).code === "P2002" && attempt < 5) continue;
      throw e;
    }
  }
}
