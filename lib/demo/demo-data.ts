/**
 * The demo's model versions, reference dataset and traffic, generated deterministically. Pure.
 * Two small classifiers over eight numeric features (f0…f7 → 3 classes), so every page has something real to show.
 */
import { buildMlp } from "@/lib/onnx/build-model";
import { seededRandom } from "@/lib/onnx/seeded-random";

export const DEMO_MODEL = "demo-classifier";
export const DEMO_ENDPOINT = "demo";
export const DEMO_FEATURES = 8;
export const DEMO_CLASSES = 3;
/** The demo classifier's class labels, uploaded with each version as its labels file. */
export const DEMO_LABELS = ["approve", "review", "decline"];

export function demoModelBytes(version: 1 | 2): Uint8Array {
  return buildMlp({ inputs: DEMO_FEATURES, hidden: 16, outputs: DEMO_CLASSES, seed: version, producerName: "ferry-demo" });
}

/** Box–Muller over the seeded uniform generator. */
function gaussian(next: () => number): () => number {
  return () => {
    const u = Math.max(next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
}

/** Feature rows: f_i ~ N(i/2, 1), with `shift` added to the listed features (to show drift). */
/** The features the demo's drifting traffic moves (f2 and f5). */
export const DEMO_SHIFTED_FEATURES = [2, 5];
/** How far the drifting traffic moves them, in the demo's standard deviations. */
export const DEMO_SHIFT = 1.5;

export function demoRows(count: number, seed: number, shift: { features: number[]; by: number } = { features: [], by: 0 }): number[][] {
  const g = gaussian(seededRandom(seed));
  return Array.from({ length: count }, () =>
    Array.from({ length: DEMO_FEATURES }, (_, i) => {
      const v = i / 2 + g() + (shift.features.includes(i) ? shift.by : 0);
      return Math.round(v * 1000) / 1000;
    }),
  );
}

export function demoReferenceCsv(): string {
  const header = Array.from({ length: DEMO_FEATURES }, (_, i) => `f${i}`).join(",");
  return [header, ...demoRows(600, 7).map((r) => r.join(","))].join("\n") + "\n";
}
