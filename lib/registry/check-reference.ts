/**
 * Checks a reference dataset against the model's input signature and maps each column to the input (and position
 * within it) it feeds. The rule:
 *  - one input of rank 2 ([batch, N]): the columns are its N features in order; the header names are the feature
 *    names; the count must equal N (any count when N is dynamic);
 *  - several inputs, each one value per row ([batch] or [batch, 1]): one column per input, named exactly like it;
 *  - anything else (images, sequences): no reference dataset.
 * Pure.
 */
import type { ModelSignature } from "@/lib/tensor/datatypes";
import { quotedNames } from "./model-name";
import { ReferenceError, type ReferenceTable } from "./parse-reference";

export interface FeatureBinding {
  name: string;
  input: string;
  /** Position along the feature axis of that input (0 for one-value inputs). */
  index: number;
}

export function checkReference(table: ReferenceTable, signature: ModelSignature): FeatureBinding[] {
  const inputs = signature.inputs;
  const single = inputs.length === 1 ? inputs[0] : undefined;
  if (single && single.shape.length === 2) {
    const n = single.shape[1];
    if (n !== -1 && table.columns.length !== n) {
      throw new ReferenceError(
        `the reference dataset has ${table.columns.length} columns but input '${single.name}' takes ${n} features (shape [${single.shape.join(", ")}])`,
      );
    }
    checkTypes(table, table.columns.map(() => single.datatype));
    return table.columns.map((name, index) => ({ name, input: single.name, index }));
  }
  const scalarInputs = inputs.every((i) => i.shape.length === 1 || (i.shape.length === 2 && i.shape[1] === 1));
  if (!scalarInputs) {
    throw new ReferenceError(
      "reference datasets are supported for tabular models: one input shaped [batch, features], or one input per feature shaped [batch] or [batch, 1]",
    );
  }
  const names = new Set(inputs.map((i) => i.name));
  const missing = inputs.filter((i) => !table.columns.includes(i.name)).map((i) => i.name);
  const extra = table.columns.filter((c) => !names.has(c));
  if (missing.length || extra.length) {
    const parts = [];
    if (missing.length) parts.push(`no column for input${missing.length > 1 ? "s" : ""} ${quotedNames(missing)}`);
    if (extra.length) parts.push(`column${extra.length > 1 ? "s" : ""} ${quotedNames(extra)} match no input`);
    throw new ReferenceError(`the reference dataset's header must name the model's inputs: ${parts.join("; ")}`);
  }
  checkTypes(table, table.columns.map((c) => inputs.find((i) => i.name === c)!.datatype));
  return table.columns.map((name) => ({ name, input: name, index: 0 }));
}

function checkTypes(table: ReferenceTable, datatypes: string[]) {
  table.columns.forEach((col, c) => {
    if (table.text[c] && datatypes[c] !== "BYTES") {
      throw new ReferenceError(`column '${col}' of the reference dataset has non-numeric values but feeds a ${datatypes[c]} input`);
    }
  });
}
