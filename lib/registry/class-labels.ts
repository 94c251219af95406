/**
 * A version's class labels: the optional `labels` file of an upload, as Triton's `label_filename` (one label per
 * line, the label of class 0 first), or a JSON object naming the output each list belongs to (for models with
 * several score outputs). Read before the version is allocated (a malformed file is a 400); matched with the model's
 * outputs once validation knows them (a mismatch fails the version, with the reason). Pure.
 */
import type { ModelSignature, TensorSpec } from "@/lib/tensor/datatypes";
import { badRequest } from "@/lib/errors";

/** An uploaded label file, read: labels for "the" score output, or labels by output name. */
export type LabelFile = { lines: string[] } | { byOutput: Record<string, string[]> };

export const MAX_LABEL_FILE_BYTES = 4 * 1024 * 1024;
export const MAX_LABELS = 100_000;
export const MAX_LABEL_CHARS = 256;

const HOW = "one label per line (class 0 first), or a JSON object of label lists by output name";

/** Reads a label file's text; throws a 400 saying what is wrong with it. */
export function parseLabelFile(text: string): LabelFile {
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") throw badRequest(`the labels file is empty; write ${HOW}`);
  if (body.trimStart().startsWith("{")) return { byOutput: parseJsonLabels(body) };
  const lines = body.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return { lines: checkLabels(lines.map((l) => l.trim()), (i) => `line ${i + 1} of the labels file`) };
}

/**
 * Labels given as JSON (a version's PATCH): the text of a label file, a list for the score output, or lists by output
 * name. Throws a 400 as parseLabelFile does.
 */
export function labelFileOf(value: string | readonly string[] | Readonly<Record<string, readonly string[]>>): LabelFile {
  if (typeof value === "string") return parseLabelFile(value);
  if (Array.isArray(value)) return { lines: checkLabels([...value], (i) => `label ${i}`) };
  return { byOutput: byOutputOf(value) };
}

function parseJsonLabels(body: string): Record<string, string[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw badRequest(`the labels file starts with '{' but is not valid JSON; write ${HOW}`);
  }
  return byOutputOf(parsed);
}

function byOutputOf(parsed: unknown): Record<string, string[]> {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw badRequest(`the labels file must be ${HOW}`);
  const byOutput: Record<string, string[]> = {};
  for (const [output, list] of Object.entries(parsed)) {
    if (!Array.isArray(list) || !list.every((l) => typeof l === "string")) {
      throw badRequest(`the labels of output '${output.slice(0, 80)}' must be a list of strings`);
    }
    Object.defineProperty(byOutput, output, { value: checkLabels(list, (i) => `label ${i} of output '${output.slice(0, 80)}'`), enumerable: true });
  }
  if (Object.keys(byOutput).length === 0) throw badRequest(`the labels file names no output; write ${HOW}`);
  return byOutput;
}

function checkLabels(labels: string[], where: (i: number) => string): string[] {
  if (labels.length === 0) throw badRequest(`the labels file lists no labels; write ${HOW}`);
  if (labels.length > MAX_LABELS) throw badRequest(`the labels file lists ${labels.length} labels; at most ${MAX_LABELS} are kept`);
  labels.forEach((label, i) => {
    if (label === "") throw badRequest(`${where(i)} is empty: every class needs a label, in class order`);
    if (label.length > MAX_LABEL_CHARS) throw badRequest(`${where(i)} is ${label.length} characters long; at most ${MAX_LABEL_CHARS}`);
    if (/[\u0000-\u001f\u007f]/.test(label)) throw badRequest(`${where(i)} holds a control character`);
  });
  return labels;
}

/**
 * How many classes one row of an output holds: the product of its dimensions after the batch axis (a leading -1),
 * or of all of them; undefined when one of those is dynamic too. As `classify` (lib/oip/classification.ts) counts.
 */
export function classCount(spec: TensorSpec): number | undefined {
  const dims = spec.shape[0] === -1 ? spec.shape.slice(1) : spec.shape;
  return dims.some((d) => d < 0) ? undefined : dims.reduce((a, d) => a * d, 1);
}

/**
 * The label lists by output for a validated model, or the problem that stops them fitting: an unknown or non-numeric
 * output, a count that differs from the output's classes, or (for a plain list) no single output it can belong to.
 */
export function attachLabels(file: LabelFile, signature: ModelSignature): { labels: Record<string, string[]> } | { problem: string } {
  const scores = signature.outputs.filter((o) => o.datatype !== "BYTES");
  const describe = (list: TensorSpec[]) => list.map((o) => `'${o.name}' [${o.shape.join(",")}]`).join(", ") || "none";
  if ("lines" in file) {
    const n = file.lines.length;
    const fitting = scores.length === 1 ? scores : scores.filter((o) => classCount(o) === n);
    if (fitting.length !== 1) {
      return {
        problem: `the labels file has ${n} lines and ${fitting.length === 0 ? "no" : "more than one"} output of the model has ${n} classes; ` +
          `upload a JSON labels file naming the output ({"<output>": ["label", …]}) (numeric outputs: ${describe(scores)})`,
      };
    }
    const mismatch = countProblem(fitting[0], n);
    return mismatch ? { problem: mismatch } : { labels: { [fitting[0].name]: file.lines } };
  }
  for (const [name, list] of Object.entries(file.byOutput)) {
    const spec = signature.outputs.find((o) => o.name === name);
    if (!spec) return { problem: `the labels file names output '${name}', which the model does not have (numeric outputs: ${describe(scores)})` };
    if (spec.datatype === "BYTES") return { problem: `output '${name}' is BYTES: labels belong to an output of class scores` };
    const mismatch = countProblem(spec, list.length);
    if (mismatch) return { problem: mismatch };
  }
  return { labels: file.byOutput };
}

function countProblem(spec: TensorSpec, labels: number): string | undefined {
  const classes = classCount(spec);
  if (classes === undefined || classes === labels) return undefined;
  return `output '${spec.name}' has ${classes} classes (shape [${spec.shape.join(",")}]) but the labels file gives it ${labels} labels`;
}

/** A label list at a glance: "approve, review, decline", or the first `max` and how many there are. */
export function labelSummary(labels: readonly string[], max = 5): string {
  return labels.length <= max ? labels.join(", ") : `${labels.slice(0, max).join(", ")}, … (${labels.length.toLocaleString("en-US")} labels)`;
}
