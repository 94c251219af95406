/**
 * Edits a version's description, class labels or training metrics, or archives it (or restores an archived version). Archiving is
 * refused while an endpoint routes to the version (by number or through an alias) or an alias points at it: archived
 * versions are unloaded, and an alias must never lead to one. New labels must fit the version's outputs, as at upload;
 * the data planes serving the model are told at once (classification answers name classes by them).
 */
import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { badRequest, conflict, notFound } from "@/lib/errors";
import { signatureTensors, type ModelSignature } from "@/lib/tensor/datatypes";
import { parseModelName, parseVersionNumber, quotedNames } from "./model-name";
import { lockModel } from "./lock-model";
import { routesToVersion } from "./endpoint-references";
import { attachLabels, labelFileOf } from "./class-labels";
import { notifyEndpoints } from "./notify-endpoints";
import { parseMetrics } from "./version-metrics";

export interface VersionPatch {
  description?: string;
  status?: "archived" | "ready";
  /** New class labels (a label file's text, a list for the score output, or lists by output name); null removes them. */
  labels?: string | string[] | Record<string, string[]> | null;
  /** New training metrics (a JSON object of numbers, or name=value lines), replacing the old ones; null removes them. */
  metrics?: string | Record<string, number> | null;
}

export async function updateVersion(o: { db: Db; actor: Actor; name: string; version: number | string; patch: VersionPatch }) {
  const name = parseModelName(o.name);
  const version = parseVersionNumber(o.version);
  const metrics = o.patch.metrics === undefined || o.patch.metrics === null ? o.patch.metrics : parseMetrics(o.patch.metrics);
  const labelFile = o.patch.labels === undefined || o.patch.labels === null ? o.patch.labels : labelFileOf(o.patch.labels);
  const notify = await o.db.$transaction(async (tx) => {
    const model = await lockModel(tx, name);
    const v = await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version } } });
    if (!v) throw notFound(`model '${name}' has no version ${version}`);
    const status = o.patch.status;
    if (status === "archived" && v.status !== "archived") {
      const aliases = await tx.alias.findMany({ where: { modelId: model.id }, include: { version: { select: { version: true } } } });
      const targets = new Map(aliases.map((a) => [a.name, a.version.version]));
      const endpoints = await tx.endpoint.findMany({ where: { modelId: model.id }, select: { name: true, config: true } });
      const routing = endpoints.filter((e) => routesToVersion(e.config, version, targets)).map((e) => e.name);
      if (routing.length) {
        throw conflict(`version ${version} cannot be archived: endpoint${routing.length > 1 ? "s" : ""} ${quotedNames(routing)} route${routing.length > 1 ? "" : "s"} to it. Change the routing first.`);
      }
      const pointing = aliases.filter((a) => a.version.version === version).map((a) => a.name);
      if (pointing.length) {
        throw conflict(`version ${version} cannot be archived: alias ${quotedNames(pointing)} points to it. Move the alias first.`);
      }
    }
    if (status === "ready" && v.status !== "ready") {
      if (v.status !== "archived" || !v.signature) throw conflict(`only an archived version that once validated can be restored (this one is ${v.status})`);
    }
    let signature: ModelSignature | undefined;
    if (labelFile !== undefined) {
      if (!v.signature) throw conflict(`version ${version} has no signature (it did not validate), so it cannot take class labels`);
      const current = signatureTensors(v.signature as unknown as ModelSignature);
      const attached = labelFile === null ? { labels: undefined } : attachLabels(labelFile, current);
      if ("problem" in attached) throw badRequest(`class labels: ${attached.problem}`);
      signature = attached.labels ? { ...current, labels: attached.labels } : current;
    }
    const after = await tx.modelVersion.update({
      where: { id: v.id },
      data: {
        description: o.patch.description,
        status: status && status !== v.status ? status : undefined,
        signature: signature as object | undefined,
        metrics: metrics === null ? Prisma.DbNull : metrics,
      },
    });
    const labelCounts = (s: unknown) => Object.fromEntries(Object.entries((s as ModelSignature | null)?.labels ?? {}).map(([k, l]) => [k, l.length]));
    await recordAudit(tx, o.actor, {
      action: status === "archived" && v.status !== "archived" ? "version.archive" : status === "ready" && v.status === "archived" ? "version.restore" : "version.update",
      objectType: "model_version",
      objectId: `${name}@${version}`,
      before: { description: v.description, status: v.status, ...(signature && { labels: labelCounts(v.signature) }), ...(metrics !== undefined && { metrics: v.metrics }) },
      after: { description: after.description, status: after.status, ...(signature && { labels: labelCounts(after.signature) }), ...(metrics !== undefined && { metrics: after.metrics }) },
    });
    return signature ? (await tx.endpoint.findMany({ where: { modelId: model.id }, select: { name: true } })).map((e) => e.name) : [];
  });
  await notifyEndpoints(notify);
}
