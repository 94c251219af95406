/** The labels a validated model brings with it, matched with its outputs as an uploaded labels file is. Pure. */
import { informativeLabels } from "@/lib/onnx/declared-labels";
import { unzippedLabels, type UnzippedOutput } from "@/lib/onnx/servable-model";
import type { ModelSignature } from "@/lib/tensor/datatypes";
import { attachLabels, labelFileOf } from "./class-labels";

/** Whether a model's labels pass the checks an uploaded labels file does (count, length, no empty ones, no control characters). */
function acceptable(labels: string[]): boolean {
  try {
    labelFileOf(labels);
    return true;
  } catch {
    return false;
  }
}

/**
 * The class labels the model declares (lib/onnx/declared-labels.ts), by output: a ZipMap's for the output it wrote,
 * else the one list of the model's ML classifiers for the one score output with as many classes. An upload's labels
 * file replaces them. Labels an uploaded file could not have (empty, too long, control characters) are not kept.
 */
export function declaredLabels(unzipped: UnzippedOutput[], lists: string[][], signature: ModelSignature): Record<string, string[]> | undefined {
  const zipped = unzippedLabels(unzipped.filter((u) => acceptable(u.classLabels)));
  if (zipped || unzipped.length > 0) return zipped;
  const informative = lists.filter((l) => informativeLabels(l) && acceptable(l));
  if (informative.length !== 1) return undefined;
  const fitted = attachLabels({ lines: informative[0] }, signature);
  return "labels" in fitted ? fitted.labels : undefined;
}
