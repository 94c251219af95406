// Drift of one endpoint over a window, from the per-minute sketches the data plane flushed: the sketches of the
// version that served most rows in the window (or the one asked for) are merged per feature across minutes and
// instances and compared with that version's reference dataset — or with a window of production traffic when the
// endpoint's drift settings name one. Prediction drift compares the classifier outputs with the previous window of
// the same length (the registry keeps no model outputs for the reference dataset). wasserstein_norm comes from the
// sketch bins once a window outgrows the reservoir (binned-wasserstein.ts); KS uses the reservoir. The payload is DESIGN.md's
// `GET /api/endpoints/{name}/drift` shape plus quality rates, histograms and notes.
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { withBinnedWasserstein } from "@/lib/drift/binned-wasserstein";
import type { BoundReferenceSummary } from "@/lib/drift/drift-spec";
import { driftFromSketches, type SketchFeatureDrift } from "@/lib/drift/drift-from-sketches";
import { loadDriftSettings, type DriftSettings } from "@/lib/drift/drift-settings";
import { evaluateDatasetDrift } from "@/lib/drift/evaluate-feature-drift";
import { histogramOverlay, type FeatureHistogram } from "@/lib/drift/histogram-overlay";
import { countWindowRows, loadWindowSketches, type VersionTraffic } from "@/lib/drift/load-window-sketches";
import { referenceFromSketch, specOfSketch } from "@/lib/drift/reference-from-sketch";
import { newSketch, type Sketch } from "@/lib/drift/sketch";
import { formatBucketTime } from "@/lib/metrics/prepare-time-series";
import type { ReferenceFeatureSummary } from "@/lib/drift/summarize-reference";
import type { DatasetDrift } from "@/lib/drift/types";

export type EndpointFeatureDrift = SketchFeatureDrift;

export type DriftQualityTotals = { rows: number; cells: number; missing: number; outOfRange: number; missingRate: number; outOfRangeRate: number };

export type EndpointDriftReport = {
  endpoint: string;
  version: number | null;
  versions: VersionTraffic[];
  window: { from: string; to: string };
  /** Rows sketched: the figures' sample size. */
  rows: number;
  /** Rows the version served in the window that were not sketched (past the data plane's drift budget). */
  rowsSkipped: number;
  features: EndpointFeatureDrift[];
  datasetDrift: boolean;
  dataset: DatasetDrift;
  /** Classifier outputs ("output:<name>"), not counted in datasetDrift. */
  predictions: EndpointFeatureDrift[];
  quality: DriftQualityTotals;
  histograms: FeatureHistogram[];
  reference: { kind: "dataset" | "window" | "none"; rows: number; from?: string; to?: string };
  predictionReference: { from: string; to: string } | null;
  notes: string[];
};

const INPUT = "input:";
const NO_TRAFFIC =
  "no traffic was recorded in this window: requests this endpoint answers are sketched and show here within about 5 seconds (the data plane's flush)";
const OUTPUT = "output:";

/** A time in a note a person reads: "2026-11-28 00:31 UTC" (the charts' tooltip format). */
const noteTime = (d: Date) => formatBucketTime(d.getTime());

const finiteOrNull = (x: number | null | undefined) => (x == null || !Number.isFinite(x) ? null : x);

/** JSON has no NaN or Infinity: every non-finite statistic becomes null. */
function clean(f: SketchFeatureDrift): SketchFeatureDrift {
  const stats = Object.fromEntries(Object.entries(f.stats).map(([k, v]) => [k, finiteOrNull(v as number | null)])) as SketchFeatureDrift["stats"];
  return { ...f, value: finiteOrNull(f.value), stats };
}

function qualityTotals(features: readonly SketchFeatureDrift[], rows: number): DriftQualityTotals {
  let cells = 0, missing = 0, outOfRange = 0, valid = 0;
  for (const f of features) {
    cells += f.quality.count;
    missing += f.quality.missing;
    outOfRange += f.quality.outOfRange;
    valid += f.quality.count - f.quality.missing;
  }
  return { rows, cells, missing, outOfRange, missingRate: cells ? missing / cells : 0, outOfRangeRate: valid ? outOfRange / valid : 0 };
}

async function loadReference(db: Db, modelId: string, version: number): Promise<BoundReferenceSummary | null> {
  const row = await db.modelVersion.findUnique({ where: { modelId_version: { modelId, version } }, select: { referenceSummary: true } });
  const summary = row?.referenceSummary as BoundReferenceSummary | null | undefined;
  return summary?.features?.length ? summary : null;
}

function emptyReport(endpoint: string, from: Date, to: Date, versions: VersionTraffic[], notes: string[]): EndpointDriftReport {
  return {
    endpoint, version: null, versions, window: { from: from.toISOString(), to: to.toISOString() }, rows: 0, rowsSkipped: 0, features: [],
    datasetDrift: false, dataset: evaluateDatasetDrift([]), predictions: [], quality: qualityTotals([], 0), histograms: [],
    reference: { kind: "none", rows: 0 }, predictionReference: null, notes,
  };
}

export async function evaluateEndpointDrift(o: {
  db: Db;
  endpointName: string;
  from: Date;
  to: Date;
  version?: number;
  /** Defaults to the endpoint's stored settings (Setting `drift.<name>`). */
  settings?: DriftSettings;
}): Promise<EndpointDriftReport> {
  const { db, from, to } = o;
  const endpoint = await db.endpoint.findUnique({ where: { name: o.endpointName }, select: { id: true, name: true, modelId: true } });
  if (!endpoint) throw notFound(`endpoint '${o.endpointName}' not found`);
  const notes: string[] = [];
  let settings = o.settings;
  if (!settings) {
    const loaded = await loadDriftSettings(db, endpoint.name);
    settings = loaded.settings;
    if (loaded.error) notes.push(`the drift settings (drift.${endpoint.name}) are invalid and were ignored: ${loaded.error}`);
  }

  const versions = await countWindowRows({ db, endpointId: endpoint.id, from, to });
  const version = o.version ?? versions[0]?.version;
  if (version === undefined) return emptyReport(endpoint.name, from, to, versions, [...notes, NO_TRAFFIC]);
  if (versions.length > 1 && o.version === undefined) {
    notes.push(`several versions served this window (${versions.map((v) => `v${v.version}: ${v.rows} rows`).join(", ")}); v${version} served most and is evaluated`);
  }

  const datasetReference = await loadReference(db, endpoint.modelId, version);
  const current = await loadWindowSketches({ db, endpointId: endpoint.id, version, from, to });
  if (current.mismatched) notes.push(`${current.mismatched} sketch rows did not match the others' bins and were left out`);

  // The reference per input feature: the version's dataset, or a chosen window of traffic binned the same way.
  let referenceKind: EndpointDriftReport["reference"] = { kind: "none", rows: 0 };
  let windowReference: Map<string, Sketch> | null = null;
  if (settings.reference) {
    const ref = await loadWindowSketches({ db, endpointId: endpoint.id, version, from: settings.reference.from, to: settings.reference.to });
    if (ref.sketches.size) windowReference = ref.sketches;
    else notes.push(`the reference window ${noteTime(settings.reference.from)} – ${noteTime(settings.reference.to)} has no traffic of v${version}; the reference dataset is used`);
  }
  const references: ReferenceFeatureSummary[] = [];
  if (windowReference) {
    let rows = 0;
    for (const [feature, sketch] of windowReference) {
      if (!feature.startsWith(INPUT)) continue;
      const name = feature.slice(INPUT.length);
      const base = datasetReference?.features.find((f) => f.name === name);
      references.push(referenceFromSketch(name, base?.spec ?? specOfSketch(sketch), sketch, base));
      rows = Math.max(rows, sketch.count);
    }
    // Keep the reference dataset's column order when there is one.
    const order = new Map(datasetReference?.features.map((f, i) => [f.name, i]) ?? []);
    references.sort((a, b) => (order.get(a.name) ?? Infinity) - (order.get(b.name) ?? Infinity) || (a.name < b.name ? -1 : 1));
    const r = settings.reference!;
    referenceKind = { kind: "window", rows, from: r.from.toISOString(), to: r.to.toISOString() };
  } else if (datasetReference) {
    references.push(...datasetReference.features);
    referenceKind = { kind: "dataset", rows: datasetReference.rows };
  } else {
    notes.push(`v${version} has no reference dataset: upload one with the version, or set a reference window in drift.${endpoint.name}`);
  }

  const features: SketchFeatureDrift[] = [];
  const histograms: FeatureHistogram[] = [];
  let rows = 0;
  let rowsSkipped = 0;
  for (const ref of references) {
    const sketch = current.sketches.get(`${INPUT}${ref.name}`);
    rows = Math.max(rows, sketch?.count ?? 0);
    rowsSkipped = Math.max(rowsSkipped, sketch?.skipped ?? 0);
    try {
      const drift = driftFromSketches(ref.spec, ref, sketch ?? newSketch(ref.spec), settings.features[ref.name]);
      features.push(clean(withBinnedWasserstein(drift, ref, sketch)));
      histograms.push(histogramOverlay(ref, sketch));
    } catch (e) {
      notes.push(`${ref.name}: ${(e as Error).message}`);
    }
  }

  // Prediction drift: this window's output distribution against the previous window of the same length (or the
  // reference window), for the same version.
  const outputs = [...current.sketches.entries()].filter(([f]) => f.startsWith(OUTPUT));
  const predictions: SketchFeatureDrift[] = [];
  let predictionReference: EndpointDriftReport["predictionReference"] = null;
  if (outputs.length) {
    const span = to.getTime() - from.getTime();
    const base = windowReference
      ? { from: settings.reference!.from, to: settings.reference!.to, sketches: windowReference }
      : { from: new Date(from.getTime() - span), to: from, sketches: (await loadWindowSketches({ db, endpointId: endpoint.id, version, from: new Date(from.getTime() - span), to: from })).sketches };
    predictionReference = { from: base.from.toISOString(), to: base.to.toISOString() };
    for (const [feature, sketch] of outputs) {
      const baseline = base.sketches.get(feature);
      if (!baseline) {
        notes.push(`${feature}: no traffic in the comparison window ${noteTime(base.from)} – ${noteTime(base.to)}, so no prediction drift yet`);
        continue;
      }
      try {
        const spec = specOfSketch(baseline);
        const ref = referenceFromSketch(feature, spec, baseline);
        predictions.push(clean(driftFromSketches(spec, ref, sketch, settings.features[feature])));
        histograms.push(histogramOverlay(ref, sketch, feature));
      } catch (e) {
        notes.push(`${feature}: ${(e as Error).message}`);
      }
    }
  }

  const dataset = evaluateDatasetDrift(features, settings.driftShare);
  return {
    endpoint: endpoint.name, version, versions, window: { from: from.toISOString(), to: to.toISOString() }, rows, rowsSkipped, features,
    datasetDrift: dataset.datasetDrift, dataset, predictions, quality: qualityTotals(features, rows), histograms,
    reference: referenceKind, predictionReference, notes,
  };
}
