/** What the validator child receives and answers (JSON over argv and stdout). Pure types. */
import type { ModelSignature } from "@/lib/tensor/datatypes";
import type { RegistryReferenceSummary } from "./summarize-reference-table";

export interface ValidationRequest {
  modelPath: string;
  referencePath?: string;
  referenceFormat?: "csv" | "json";
}

export type ValidationResult =
  | {
      ok: true;
      signature: ModelSignature;
      irVersion?: number;
      opset?: number;
      producer?: string;
      metadata?: Record<string, string>;
      /** "ran", or why a smoke inference was skipped. */
      smoke: string;
      referenceSummary?: RegistryReferenceSummary;
    }
  | { ok: false; reason: string };

export const RESULT_MARKER = "@@ferry-validation@@ ";
