/**
 * Accuracy (classification) or mean absolute error (regression) per served version, from feedback joined to the
 * prediction log by request id, for predictions logged in [from, to). Only sampled predictions are logged, so `n`
 * is the number of labelled, logged predictions, not of requests. A label counts once: where a client reused a request
 * id, it is joined to the newest prediction logged under that id in the window. At most MAX_JOINED rows are read
 * (newest first). A classifier's prediction is right when the label is its class's index or, for a version with class
 * labels, its class's label.
 */
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/errors";
import { loadVersionLabels, type VersionLabels } from "@/lib/registry/version-labels";
import { predictedLabels, predictedValue } from "./prediction-from-outputs";

export const MAX_JOINED = 200_000;

export interface VersionQuality {
  version: number;
  /** Variant names the predictions were logged under. */
  variants: string[];
  kind: "classification" | "regression";
  /** Labelled predictions of `kind`. */
  n: number;
  accuracy: number | null;
  correct: number;
  mae: number | null;
  /** Labelled predictions whose output could not be read (no usable output). */
  unreadable: number;
}

interface Row {
  version: number;
  variant: string | null;
  outputs: unknown;
  label: string | null;
  value: number | null;
}

export async function computeVariantQuality(o: { db: Db; endpointName: string; from: Date; to: Date }): Promise<VersionQuality[]> {
  const endpoint = await o.db.endpoint.findUnique({ where: { name: o.endpointName }, select: { id: true, modelId: true } });
  if (!endpoint) throw notFound(`endpoint '${o.endpointName}' does not exist`);
  const rows = await o.db.$queryRaw<Row[]>(Prisma.sql`
    SELECT q."version", q."variant", q."outputs", q."label", q."value" FROM (
      SELECT DISTINCT ON (f."requestId") p."version", p."variant", p."outputs", f."label", f."value", p."createdAt"
      FROM "Feedback" f JOIN "PredictionLog" p ON p."requestId" = f."requestId"
      WHERE f."endpointId" = ${endpoint.id} AND p."endpointId" = ${endpoint.id}
        AND p."createdAt" >= ${o.from} AND p."createdAt" < ${o.to}
      ORDER BY f."requestId", p."createdAt" DESC, p."id" DESC
    ) q
    ORDER BY q."createdAt" DESC LIMIT ${MAX_JOINED}`);
  return summarizeQuality(rows, await loadVersionLabels(o.db, endpoint.modelId, rows.map((r) => Number(r.version))));
}

/** Pure: the per-version summary of joined rows. */
export function summarizeQuality(rows: readonly Row[], labels: VersionLabels = new Map()): VersionQuality[] {
  const acc = new Map<number, { variants: Set<string>; cls: number; correct: number; reg: number; absErr: number; unreadable: number }>();
  for (const r of rows) {
    const version = Number(r.version);
    let a = acc.get(version);
    if (!a) acc.set(version, (a = { variants: new Set(), cls: 0, correct: 0, reg: 0, absErr: 0, unreadable: 0 }));
    if (r.variant) a.variants.add(r.variant);
    let read = false;
    if (r.label !== null) {
      const predicted = predictedLabels(r.outputs, labels.get(version));
      if (predicted.length) {
        read = true;
        a.cls++;
        if (predicted.includes(r.label)) a.correct++;
      }
    }
    if (r.value !== null && r.label === null) {
      const predicted = predictedValue(r.outputs);
      if (predicted !== undefined) {
        read = true;
        a.reg++;
        a.absErr += Math.abs(predicted - Number(r.value));
      }
    }
    if (!read) a.unreadable++;
  }
  return [...acc.entries()]
    .sort(([x], [y]) => x - y)
    .map(([version, a]) => {
      const classification = a.cls >= a.reg;
      return {
        version,
        variants: [...a.variants].sort(),
        kind: classification ? "classification" : "regression",
        n: classification ? a.cls : a.reg,
        accuracy: a.cls > 0 ? a.correct / a.cls : null,
        correct: a.correct,
        mae: a.reg > 0 ? a.absErr / a.reg : null,
        unreadable: a.unreadable,
      };
    });
}
