// What the data plane sketches for one served version: each reference feature (which input tensor and which
// column feeds it, with the sketch spec from the reference summary) and, for classifier outputs, the predicted
// class. Pure: built from the version's stored reference summary and signature.
import type { SketchSpec } from "@/lib/drift/sketch";
import type { ReferenceFeatureSummary, ReferenceSummary } from "@/lib/drift/summarize-reference";
import type { ModelSignature, TensorSpec } from "@/lib/tensor/datatypes";

export type DriftFeatureSpec = {
  name: string;
  /** The input tensor that carries this feature. */
  input: string;
  /** Position along the feature axis ([batch, N] inputs); 0 for one-value-per-row inputs. */
  column: number;
  spec: SketchSpec;
};

export type DriftOutputSpec = {
  name: string;
  /** "class": argmax over the last axis of a [batch, K] score output, sketched as a categorical. */
  mode: "class" | "value";
  spec: SketchSpec;
};

export type DriftSpec = { features: DriftFeatureSpec[]; outputs: DriftOutputSpec[] };

/** The registry stores lib/drift's summary plus the input binding of each column (summarize-reference-table.ts). */
export type BoundReferenceSummary = Omit<ReferenceSummary, "features"> & {
  features: (ReferenceFeatureSummary & { input?: string; index?: number })[];
};

const MAX_CLASSES = 50;

/** Classifier score outputs: float [batch, K] with 2 ≤ K ≤ 50. Other outputs have no reference to bin against. */
export function classOutputSpec(output: TensorSpec): DriftOutputSpec | null {
  const isFloat = output.datatype === "FP32" || output.datatype === "FP64" || output.datatype === "FP16";
  const k = output.shape[1];
  if (!isFloat || output.shape.length !== 2 || !(k >= 2 && k <= MAX_CLASSES)) return null;
  return { name: output.name, mode: "class", spec: { kind: "categorical", categories: Array.from({ length: k }, (_, i) => String(i)) } };
}

export function buildDriftSpec(summary: BoundReferenceSummary | null | undefined, signature: ModelSignature | null | undefined): DriftSpec | null {
  if (!summary?.features?.length || !signature) return null;
  const single = signature.inputs.length === 1 ? signature.inputs[0] : undefined;
  const features: DriftFeatureSpec[] = [];
  summary.features.forEach((f, i) => {
    // Older summaries carry no binding: a single [batch, N] input takes the columns in order.
    const input = f.input ?? (single ? single.name : f.name);
    const column = f.index ?? (single && single.shape.length === 2 ? i : 0);
    if (signature.inputs.some((s) => s.name === input)) features.push({ name: f.name, input, column, spec: f.spec });
  });
  if (!features.length) return null;
  const outputs = signature.outputs.map(classOutputSpec).filter((o): o is DriftOutputSpec => o !== null);
  return { features, outputs };
}
