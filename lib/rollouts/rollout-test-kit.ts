/** Rows for the rollout, feedback and experiment integration tests, made directly with Prisma. */
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { bucketIndex, emptyBuckets } from "@/lib/metrics/latency-buckets";

/** An endpoint config's weights by variant name: `{ stable: 90, candidate: 10 }`. */
export const weights = (config: unknown) =>
  Object.fromEntries((config as { variants: { name: string; weight: number }[] }).variants.map((v) => [v.name, v.weight]));

export const uniq = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${crypto.randomBytes(3).toString("hex")}`;

/** A model with ready versions 1..n, `production` → v1, and an endpoint whose one variant routes by that alias. */
export async function makeEndpoint(db: Db, o: { versions?: number; config?: Record<string, unknown>; aliasVersion?: number } = {}) {
  const modelName = uniq("m");
  const model = await db.model.create({ data: { name: modelName } });
  const versions = [];
  for (let v = 1; v <= (o.versions ?? 3); v++) {
    versions.push(
      await db.modelVersion.create({
        data: { modelId: model.id, version: v, status: "ready", sha256: crypto.randomBytes(32).toString("hex"), sizeBytes: 100n, storageKey: `x/${v}`, signature: { inputs: [{ name: "x", datatype: "FP32", shape: [-1, 4] }], outputs: [{ name: "probs", datatype: "FP32", shape: [-1, 2] }] } },
      }),
    );
  }
  await db.alias.create({ data: { modelId: model.id, name: "production", versionId: versions[(o.aliasVersion ?? 1) - 1].id } });
  const config = o.config ?? { model: modelName, variants: [{ name: "stable", alias: "production", weight: 100 }] };
  const endpoint = await db.endpoint.create({ data: { name: uniq("ep"), modelId: model.id, config: { ...config, model: modelName } as Prisma.InputJsonValue } });
  return { model, endpoint, versions };
}

/** One minute's rollup row for a version: `count` requests, `errors` of them failed, all at `latencyMs`. */
export async function addRollup(
  db: Db,
  o: { endpointId: string; version: number; minute: Date; count: number; errors?: number; latencyMs?: number; instanceId?: string; shadowCount?: number; shadowAgree?: number; outputCounts?: Record<string, number> },
) {
  const buckets = emptyBuckets();
  buckets[bucketIndex(o.latencyMs ?? 2)] += o.count;
  const minute = new Date(Math.floor(o.minute.getTime() / 60_000) * 60_000);
  await db.metricRollup.create({
    data: {
      endpointId: o.endpointId,
      version: o.version,
      minute,
      instanceId: o.instanceId ?? "i1",
      count: o.count,
      errors: o.errors ?? 0,
      latencySumMs: (o.latencyMs ?? 2) * o.count,
      latencyBuckets: buckets,
      shadowCount: o.shadowCount ?? 0,
      shadowAgree: o.shadowAgree ?? 0,
      outputCounts: o.outputCounts,
    },
  });
}
