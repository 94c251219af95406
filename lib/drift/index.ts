// Public surface of Ferry's drift statistics (pure: safe for both planes).
export { evaluateDatasetDrift, evaluateFeatureDrift, type FeatureSamples, type RawValue } from "@/lib/drift/evaluate-feature-drift";
export { driftFromSketches, type SketchFeatureDrift, type SketchQuality } from "@/lib/drift/drift-from-sketches";
export { DEFAULT_DRIFT_SHARE, DEFAULT_THRESHOLDS, inferKind, isDrifted, selectMethod } from "@/lib/drift/select-method";
export {
  addValue, createSketchSpec, deserializeSketch, mergeSketches, newSketch, OTHER_CATEGORY, serializeSketch,
  type CategoricalSketch, type NumericSketch, type Sketch, type SketchOptions, type SketchSpec,
} from "@/lib/drift/sketch";
export { summarizeReference, summarizeFeature, type ReferenceFeatureSummary, type ReferenceSummary } from "@/lib/drift/summarize-reference";
export * from "@/lib/drift/statistics";
export type * from "@/lib/drift/types";
