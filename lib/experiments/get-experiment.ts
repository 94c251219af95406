/**
 * The experiment view's data: every version the endpoint served (or routes to) in [from, to) side by side —
 * requests, errors, latency percentiles from merged buckets, output distribution, shadow agreement, accuracy/MAE
 * from feedback — and the sequential test of B (the canary's candidate, else the second-heaviest variant's
 * version) against A (the stable variant, else the heaviest).
 *
 * The test compares accuracy when both arms have labelled feedback (one look: the confidence sequence is valid
 * at any single look), else error rate, with one look per rollup minute so the p-value is the running minimum an
 * operator watching the page would have seen.
 */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { computeVariantQuality, type VersionQuality } from "@/lib/feedback/compute-variant-quality";
import { loadVersionLabels } from "@/lib/registry/version-labels";
import { predictedClass } from "@/lib/feedback/prediction-from-outputs";
import { emptyBuckets, mergeBucketsInto, quantileFromBuckets } from "@/lib/metrics/latency-buckets";
import { resolveVariants } from "@/lib/routing/resolve-variants";
import type { Variant } from "@/lib/routing/endpoint-config.schema";
import { msprt, type MsprtResult, type ProportionCounts } from "./msprt";

/** Prediction-log rows read per version for an output distribution when the rollups carry none. */
const LOG_SAMPLE = 2000;

export interface ExperimentVersion {
  version: number;
  /** Current variants routing to this version (empty for a version only served earlier in the window, or a shadow). */
  variants: string[];
  /** Current share of weighted traffic, summed over its variants. */
  share: number;
  arm: "A" | "B" | null;
  requests: number;
  errors: number;
  errorRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  outputs: { source: "rollups" | "prediction_log"; counts: { label: string; count: number }[] } | null;
  shadow: { count: number; agreement: number | null; meanAbsDiff: number | null } | null;
  quality: VersionQuality | null;
}

export interface ExperimentTest extends MsprtResult {
  metric: "error_rate" | "accuracy";
  armA: { version: number; label: string };
  armB: { version: number; label: string };
}

export interface Experiment {
  endpoint: string;
  model: string;
  window: { from: string; to: string };
  versions: ExperimentVersion[];
  test: ExperimentTest | null;
}

interface Acc {
  requests: number;
  errors: number;
  buckets: number[];
  shadowCount: number;
  shadowAgree: number;
  shadowAbsDiff: number;
  outputCounts: Map<string, number> | null;
}

export async function getExperiment(o: { db: Db; endpointName: string; from: Date; to: Date }): Promise<Experiment> {
  const endpoint = await o.db.endpoint.findUnique({ where: { name: o.endpointName }, include: { model: { select: { id: true, name: true } } } });
  if (!endpoint) throw notFound(`endpoint '${o.endpointName}' does not exist`);
  const config = endpoint.config as { variants?: Variant[] };
  const variants = Array.isArray(config.variants) ? config.variants : [];
  const aliases = Object.fromEntries(
    (await o.db.alias.findMany({ where: { modelId: endpoint.modelId }, select: { name: true, version: { select: { version: true } } } })).map((a) => [a.name, a.version.version]),
  );
  let variantVersions: Record<string, number> = {};
  try {
    variantVersions = resolveVariants({ model: endpoint.model.name, variants }, aliases).variantVersions;
  } catch {
    // A variant whose alias vanished: show the rest.
    for (const v of variants) {
      const version = v.version ?? (v.alias !== undefined ? aliases[v.alias] : undefined);
      if (version !== undefined) variantVersions[v.name] = version;
    }
  }

  const rows = await o.db.metricRollup.findMany({
    where: { endpointId: endpoint.id, minute: { gte: o.from, lt: o.to } },
    orderBy: { minute: "asc" },
  });
  const totals = new Map<number, Acc>();
  const perMinute = new Map<number, Map<number, { n: number; x: number }>>();
  for (const r of rows) {
    let a = totals.get(r.version);
    if (!a) totals.set(r.version, (a = { requests: 0, errors: 0, buckets: emptyBuckets(), shadowCount: 0, shadowAgree: 0, shadowAbsDiff: 0, outputCounts: null }));
    a.requests += r.count;
    a.errors += r.errors;
    mergeBucketsInto(a.buckets, r.latencyBuckets);
    a.shadowCount += r.shadowCount;
    a.shadowAgree += r.shadowAgree;
    a.shadowAbsDiff += r.shadowAbsDiff;
    if (r.outputCounts && typeof r.outputCounts === "object" && !Array.isArray(r.outputCounts)) {
      a.outputCounts ??= new Map();
      for (const [label, count] of Object.entries(r.outputCounts as Record<string, unknown>)) {
        if (typeof count === "number") a.outputCounts.set(label, (a.outputCounts.get(label) ?? 0) + count);
      }
    }
    const t = r.minute.getTime();
    let m = perMinute.get(t);
    if (!m) perMinute.set(t, (m = new Map()));
    const cell = m.get(r.version) ?? { n: 0, x: 0 };
    cell.n += r.count;
    cell.x += r.errors;
    m.set(r.version, cell);
  }

  const quality = await computeVariantQuality(o);
  const qualityOf = new Map(quality.map((q) => [q.version, q]));
  const versionSet = new Set<number>([...Object.values(variantVersions), ...totals.keys(), ...quality.map((q) => q.version)]);
  const labels = await loadVersionLabels(o.db, endpoint.modelId, versionSet);
  const { a: armA, b: armB } = await pickArms(o.db, endpoint.id, variants, variantVersions);
  const weightSum = variants.reduce((s, v) => s + v.weight, 0);

  const versions: ExperimentVersion[] = [];
  for (const version of [...versionSet].sort((x, y) => x - y)) {
    const a = totals.get(version);
    const names = variants.filter((v) => variantVersions[v.name] === version);
    const share = weightSum > 0 ? names.reduce((s, v) => s + v.weight, 0) / weightSum : 0;
    const requests = a?.requests ?? 0;
    versions.push({
      version,
      variants: names.map((v) => v.name),
      share,
      arm: version === armA?.version ? "A" : version === armB?.version ? "B" : null,
      requests,
      errors: a?.errors ?? 0,
      errorRate: requests > 0 ? a!.errors / requests : null,
      p50Ms: a ? quantileFromBuckets(a.buckets, 0.5) : null,
      p95Ms: a ? quantileFromBuckets(a.buckets, 0.95) : null,
      p99Ms: a ? quantileFromBuckets(a.buckets, 0.99) : null,
      outputs: namedClasses(
        a?.outputCounts ? { source: "rollups", counts: sortCounts(a.outputCounts) } : await outputsFromLog(o.db, endpoint.id, version, o.from, o.to),
        labels.get(version),
      ),
      shadow: a && a.shadowCount > 0 ? { count: a.shadowCount, agreement: a.shadowAgree / a.shadowCount, meanAbsDiff: a.shadowAbsDiff / a.shadowCount } : null,
      quality: qualityOf.get(version) ?? null,
    });
  }

  let test: ExperimentTest | null = null;
  if (armA && armB) {
    const qa = qualityOf.get(armA.version);
    const qb = qualityOf.get(armB.version);
    if (qa?.kind === "classification" && qb?.kind === "classification" && qa.n > 0 && qb.n > 0) {
      const r = msprt([{ a: { n: qa.n, x: qa.correct }, b: { n: qb.n, x: qb.correct } }], { better: "higher", minSamples: 30 });
      test = { ...r, metric: "accuracy", armA, armB };
    } else {
      const looks: { a: ProportionCounts; b: ProportionCounts }[] = [];
      const ca = { n: 0, x: 0 };
      const cb = { n: 0, x: 0 };
      for (const [, m] of [...perMinute.entries()].sort(([x], [y]) => x - y)) {
        const da = m.get(armA.version);
        const db = m.get(armB.version);
        if (!da && !db) continue;
        ca.n += da?.n ?? 0;
        ca.x += da?.x ?? 0;
        cb.n += db?.n ?? 0;
        cb.x += db?.x ?? 0;
        looks.push({ a: { ...ca }, b: { ...cb } });
      }
      test = { ...msprt(looks, { better: "lower" }), metric: "error_rate", armA, armB };
    }
  }

  return { endpoint: endpoint.name, model: endpoint.model.name, window: { from: o.from.toISOString(), to: o.to.toISOString() }, versions, test };
}

/** A = the canary's stable variant (else the heaviest variant), B = its candidate (else the heaviest other version). */
async function pickArms(db: Db, endpointId: string, variants: Variant[], versions: Record<string, number>) {
  const rollout = await db.rollout.findFirst({ where: { endpointId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  if (rollout && versions[rollout.stableVariant] !== undefined && versions[rollout.stableVariant] !== rollout.candidateVersion) {
    return {
      a: { version: versions[rollout.stableVariant], label: `${rollout.stableVariant} (v${versions[rollout.stableVariant]})` },
      b: { version: rollout.candidateVersion, label: `candidate (v${rollout.candidateVersion})` },
    };
  }
  const ranked = [...variants].filter((v) => versions[v.name] !== undefined).sort((x, y) => y.weight - x.weight || (x.name < y.name ? -1 : 1));
  const first = ranked[0];
  const second = first && ranked.find((v) => versions[v.name] !== versions[first.name]);
  if (!first || !second) return { a: undefined, b: undefined };
  return {
    a: { version: versions[first.name], label: `${first.name} (v${versions[first.name]})` },
    b: { version: versions[second.name], label: `${second.name} (v${versions[second.name]})` },
  };
}

/**
 * Output classes counted by index, named by the version's class labels when it has them for one output (the counts do
 * not say which output a class came from).
 */
function namedClasses(outputs: ExperimentVersion["outputs"], labels: Readonly<Record<string, readonly string[]>> | undefined): ExperimentVersion["outputs"] {
  const lists = labels ? Object.values(labels) : [];
  if (!outputs || lists.length !== 1) return outputs;
  return { ...outputs, counts: outputs.counts.map((c) => ({ ...c, label: /^\d+$/.test(c.label) ? (lists[0][Number(c.label)] ?? c.label) : c.label })) };
}

function sortCounts(m: Map<string, number>) {
  return [...m.entries()].map(([label, count]) => ({ label, count })).sort((a, b) => (Number(a.label) - Number(b.label)) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

async function outputsFromLog(db: Db, endpointId: string, version: number, from: Date, to: Date): Promise<ExperimentVersion["outputs"]> {
  const logs = await db.predictionLog.findMany({
    where: { endpointId, version, createdAt: { gte: from, lt: to } },
    orderBy: { createdAt: "desc" },
    take: LOG_SAMPLE,
    select: { outputs: true },
  });
  const counts = new Map<string, number>();
  for (const l of logs) {
    const cls = predictedClass(l.outputs);
    if (cls !== undefined) counts.set(String(cls), (counts.get(String(cls)) ?? 0) + 1);
  }
  return counts.size ? { source: "prediction_log", counts: sortCounts(counts) } : null;
}
