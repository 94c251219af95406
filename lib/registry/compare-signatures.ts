/**
 * Signature compatibility between two model versions: whether a client written for one can call the other. The
 * same differences drive the 409 on promotion and the highlighted rows of the compare view. Pure.
 */
import type { ModelSignature, TensorSpec } from "@/lib/tensor/datatypes";
import { labelSummary } from "./class-labels";

export interface SignatureDifference {
  side: "input" | "output";
  name: string;
  /** missing: in the current target only; added: in the candidate only (an added input breaks clients). */
  kind: "missing" | "added" | "datatype" | "rank" | "dimension" | "labels";
  message: string;
  /** True when a client of the current target would break. */
  breaking: boolean;
}

function dimsCompatible(a: number, b: number): boolean {
  return a === b || a === -1 || b === -1;
}

function compareSide(side: "input" | "output", current: TensorSpec[], candidate: TensorSpec[]): SignatureDifference[] {
  const out: SignatureDifference[] = [];
  const byName = new Map(candidate.map((t) => [t.name, t]));
  for (const cur of current) {
    const cand = byName.get(cur.name);
    if (!cand) {
      // A dropped output breaks clients that read it; a dropped input only means clients send one too many.
      out.push({ side, name: cur.name, kind: "missing", breaking: true, message: `${side} '${cur.name}' is missing from the new version` });
      continue;
    }
    if (cur.datatype !== cand.datatype) {
      out.push({ side, name: cur.name, kind: "datatype", breaking: true, message: `${side} '${cur.name}' changes datatype ${cur.datatype} → ${cand.datatype}` });
    }
    if (cur.shape.length !== cand.shape.length) {
      out.push({ side, name: cur.name, kind: "rank", breaking: true, message: `${side} '${cur.name}' changes rank [${cur.shape.join(", ")}] → [${cand.shape.join(", ")}]` });
    } else {
      const bad = cur.shape.findIndex((d, i) => !dimsCompatible(d, cand.shape[i]));
      if (bad >= 0) {
        out.push({ side, name: cur.name, kind: "dimension", breaking: true, message: `${side} '${cur.name}' changes shape [${cur.shape.join(", ")}] → [${cand.shape.join(", ")}]` });
      }
    }
  }
  const currentNames = new Set(current.map((t) => t.name));
  for (const cand of candidate) {
    if (!currentNames.has(cand.name)) {
      out.push({ side, name: cand.name, kind: "added", breaking: side === "input", message: `${side} '${cand.name}' is new in this version` });
    }
  }
  return out;
}

/** Every difference from `current` (the alias's target) to `candidate`. */
export function compareSignatures(current: ModelSignature, candidate: ModelSignature): SignatureDifference[] {
  return [...compareSide("input", current.inputs, candidate.inputs), ...compareSide("output", current.outputs, candidate.outputs), ...compareLabels(current, candidate)];
}

/**
 * Class labels that change on an output both versions have: shown, never breaking (the scores a client reads are the
 * same tensor; only the names classification answers and Try it give them differ).
 */
function compareLabels(current: ModelSignature, candidate: ModelSignature): SignatureDifference[] {
  const out: SignatureDifference[] = [];
  for (const o of current.outputs) {
    if (!candidate.outputs.some((c) => c.name === o.name)) continue;
    const [was, is] = [current.labels?.[o.name], candidate.labels?.[o.name]];
    if (JSON.stringify(was) === JSON.stringify(is)) continue;
    const text = (l?: string[]) => (l ? labelSummary(l) : "none");
    out.push({ side: "output", name: o.name, kind: "labels", breaking: false, message: `class labels change: ${text(was)} → ${text(is)}` });
  }
  return out;
}

/** The breaking differences only; empty means compatible. */
export function incompatibilities(current: ModelSignature, candidate: ModelSignature): SignatureDifference[] {
  return compareSignatures(current, candidate).filter((d) => d.breaking);
}
