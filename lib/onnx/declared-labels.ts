/**
 * Class labels a model declares itself. ONNX has no general convention for them, but the classifiers of its ML domain
 * (ai.onnx.ml: LinearClassifier, SVMClassifier, TreeEnsembleClassifier — what skl2onnx and onnxmltools write for
 * scikit-learn, LightGBM and XGBoost — and the ZipMap they end with by default) carry their classes as
 * `classlabels_strings` or `classlabels_int64s` / `classlabels_ints`, in the order of the score columns. Pure.
 */
import type { OnnxTypes } from "./model-proto";

const CLASSIFIERS = new Set(["LinearClassifier", "SVMClassifier", "TreeEnsembleClassifier", "ZipMap"]);
const decoder = new TextDecoder();

/** A node's classes, in column order; [] when it declares none. */
export function nodeClassLabels(node: OnnxTypes.INodeProto): string[] {
  for (const a of node.attribute ?? []) {
    if (a.name === "classlabels_strings" && a.strings?.length) return a.strings.map((s) => decoder.decode(s));
    // ZipMap and TreeEnsembleClassifier name it classlabels_int64s; LinearClassifier and SVMClassifier classlabels_ints.
    if ((a.name === "classlabels_int64s" || a.name === "classlabels_ints") && a.ints?.length) return a.ints.map((i) => String(i));
  }
  return [];
}

/** The distinct class lists of the ML-domain classifiers in a graph (not its subgraphs), in node order. */
export function classifierLabels(graph: OnnxTypes.IGraphProto): string[][] {
  const lists: string[][] = [];
  for (const node of graph.node ?? []) {
    if (node.domain !== "ai.onnx.ml" || !CLASSIFIERS.has(node.opType ?? "")) continue;
    const labels = nodeClassLabels(node);
    if (labels.length > 0 && !lists.some((l) => l.length === labels.length && l.every((x, i) => x === labels[i]))) lists.push(labels);
  }
  return lists;
}

/** Labels worth showing: any string labels, or integer ones other than 0, 1, 2… in order (those say no more than the column's index). */
export function informativeLabels(labels: readonly string[]): boolean {
  return labels.some((label, i) => label !== String(i));
}
