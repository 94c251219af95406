/**
 * Creates the model on its first upload and the next version row (status `validating`), numbering versions safely
 * when uploads race: the model row is locked for the transaction, and a lost race to create the model (unique
 * violation) is retried. Numbers are never given twice: the model keeps the highest one given out (`lastVersion`),
 * so a deleted version's number stays its own in rollups, logs and audit events.
 */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";
import type { VersionMetrics } from "./version-metrics";

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
  metrics?: VersionMetrics;
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
        // Read under the lock: the row read above may predate a concurrent upload's number.
        const [{ lastVersion }] = await tx.$queryRaw<{ lastVersion: number }[]>`SELECT "lastVersion" FROM "Model" WHERE id = ${model.id} FOR UPDATE`;
        const last = await tx.modelVersion.findFirst({ where: { modelId: model.id }, orderBy: { version: "desc" }, select: { version: true } });
        // The highest number ever given out, not the highest still there: a deleted version's number is not reused.
        const version = Math.max(lastVersion, last?.version ?? 0) + 1;
        await tx.model.update({ where: { id: model.id }, data: { lastVersion: version } });
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
            metrics: opts.metrics,
          },
        });
        await recordAudit(tx, actor, {
          action: "model.upload",
          objectType: "model_version",
          objectId: `${opts.modelName}@${version}`,
          after: { model: opts.modelName, version, sha256: opts.sha256, sizeBytes: opts.sizeBytes, source: opts.source, modelCreated: created, ...(opts.metrics && { metrics: opts.metrics }) },
        });
        return { model, row, created };
      });
    } catch (e) {
      if ((e as { code?: string }).code === "P2002" && attempt < 5) continue;
      throw e;
    }
  }
}
