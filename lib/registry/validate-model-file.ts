/**
 * Validation proper, run inside the validator child (never in the web process): lib/onnx's inspectModel (protobuf,
 * external data, domains, IR/opset versions) and an onnxruntime session created from the bytes (not the path, so
 * nothing resolves relative to the store), the signature with V2 datatypes and -1 for dynamic dimensions, a smoke
 * inference, and the reference dataset checked against the signature and summarized.
 */
import fs from "node:fs";
import { createSessionAndSignature, smokeRun } from "@/lib/onnx/load-signature";
import { InvalidModelError } from "@/lib/onnx/inspect-model";
import { declaredLabels } from "./declared-class-labels";
import type { ModelSignature } from "@/lib/tensor/datatypes";
import { parseReference, ReferenceError } from "./parse-reference";
import { checkReference } from "./check-reference";
import { summarizeReferenceTable } from "./summarize-reference-table";
import type { ValidationRequest, ValidationResult } from "./validation-result";

/**
 * A failed smoke run rejects the model only when no dimension but the batch had to be guessed: a model must never
 * be refused because Ferry could not invent a valid input shape (images, sequences).
 */
function smokeVerdict(signature: ModelSignature, smoke: Awaited<ReturnType<typeof smokeRun>>): string {
  if (smoke.ok) return "ran";
  const guessed = signature.inputs.some((i) => i.shape.length === 0 || i.shape.some((d, axis) => d === -1 && axis > 0));
  if (smoke.skipped || guessed) return `skipped: ${smoke.reason}`;
  throw new InvalidModelError(`a test ${smoke.reason}`);
}

export async function validateModelFile(req: ValidationRequest): Promise<ValidationResult> {
  try {
    const bytes = fs.readFileSync(req.modelPath);
    const { session, signature: tensors, inspection, unzipped } = await createSessionAndSignature(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: "sequential",
    });
    const labels = declaredLabels(unzipped, inspection.classLabels, tensors);
    const signature: ModelSignature = labels ? { ...tensors, labels } : tensors;
    let smoke: string;
    try {
      smoke = smokeVerdict(signature, await smokeRun(session, signature));
    } finally {
      await session.release();
    }
    let referenceSummary;
    if (req.referencePath) {
      const table = parseReference(fs.readFileSync(req.referencePath, "utf8"), req.referenceFormat);
      referenceSummary = summarizeReferenceTable(table, checkReference(table, signature));
    }
    return {
      ok: true,
      signature,
      irVersion: inspection.irVersion,
      opset: inspection.opset ?? undefined,
      producer: [inspection.producer.name, inspection.producer.version].filter(Boolean).join(" ") || undefined,
      metadata: inspection.metadata,
      smoke,
      referenceSummary,
    };
  } catch (e) {
    if (e instanceof InvalidModelError) return { ok: false, reason: e.reason };
    if (e instanceof ReferenceError) return { ok: false, reason: `reference dataset: ${e.message}` };
    throw e;
  }
}
