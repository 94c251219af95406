/**
 * The reference-dataset summary kept with a version: lib/drift's per-feature summary (kind, min/mean/max/std,
 * quantiles, a 10-bin histogram, and the sketch spec, bin counts and sample drift evaluation compares live traffic
 * against), plus which input tensor and position each column feeds. Pure.
 */
import { summarizeReference, type ReferenceFeatureSummary } from "@/lib/drift/summarize-reference";
import type { ReferenceTable } from "./parse-reference";
import type { FeatureBinding } from "./check-reference";

export type RegistryFeatureSummary = ReferenceFeatureSummary & { input: string; index: number };

export interface RegistryReferenceSummary {
  rows: number;
  columns: number;
  features: RegistryFeatureSummary[];
}

export function summarizeReferenceTable(table: ReferenceTable, bindings: FeatureBinding[]): RegistryReferenceSummary {
  const rows = Array.from({ length: table.rows }, (_, r) => table.columns.map((_, c) => {
    const text = table.text[c];
    return text ? (text[r] === "" ? null : text[r]) : table.values[c][r];
  }));
  const summary = summarizeReference(rows, table.columns);
  return {
    rows: summary.rows,
    columns: table.columns.length,
    features: summary.features.map((f, i) => ({ ...f, input: bindings[i].input, index: bindings[i].index })),
  };
}
