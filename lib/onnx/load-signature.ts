/**
 * Loads a model into onnxruntime-node and reads its signature as the runtime sees it, after inspectModel has
 * refused anything unsafe (onnxruntime would follow an external-data path). Also a zero-input smoke run, so an
 * upload that loads but cannot run is caught before it takes traffic.
 */
import * as ort from "onnxruntime-node";
import { ortFromV2, typedArrayFor, v2FromOrt, type ModelSignature, type TensorSpec } from "@/lib/tensor/datatypes";
import { inspectModel, InvalidModelError, type ModelInspection } from "./inspect-model";
import { servableModel, type UnzippedOutput } from "./servable-model";

export interface LoadedModel {
  session: ort.InferenceSession;
  /** The protobuf signature, confirmed (names, order, types) by onnxruntime's session metadata. */
  signature: ModelSignature;
  inspection: ModelInspection;
  /** Outputs a ZipMap wrote, served as float tensors (servable-model.ts). */
  unzipped: UnzippedOutput[];
}

export type SmokeResult = { ok: true; ms: number } | { ok: false; reason: string; skipped?: true };

/** Beyond this many elements per run a smoke test would cost more memory than it is worth. */
const SMOKE_MAX_ELEMENTS = 1 << 24;

/**
 * Native errors start with a source path and a C++ signature ("/onnxruntime_src/...cc:202 onnxruntime::Model::
 * Model(...) Unsupported model IR version: 14"); people need only the sentence after them.
 */
export function cleanOrtMessage(raw: string): string {
  let text = raw.replace(/^Error:\s*/, "").trim();
  const source = /\/onnxruntime_src\/\S+:\d+\s+/.exec(text);
  if (source) text = text.slice(0, source.index) + stripCppSignature(text.slice(source.index + source[0].length));
  return text.split("\n")[0].trim().slice(0, 500) || raw.slice(0, 500);
}

function stripCppSignature(text: string): string {
  const head = /^[\w:<>,~*&\s]+\(/.exec(text);
  if (!head) return text;
  let depth = 0;
  for (let i = head[0].length - 1; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return text.slice(i + 1).replace(/^\s*(const\s*)?(\[with [^\]]*\]\s*)?/, "");
  }
  return text;
}

function mergeSpec(meta: ort.InferenceSession.ValueMetadata, proto: TensorSpec | undefined): TensorSpec {
  const datatype = meta.isTensor ? v2FromOrt(meta.type) : undefined;
  if (!datatype) {
    throw new InvalidModelError(`'${meta.name}' is not a tensor of an Open Inference Protocol datatype in onnxruntime's view`);
  }
  const ortShape = meta.isTensor ? meta.shape.map((d) => (typeof d === "number" && d >= 0 ? d : -1)) : [];
  // onnxruntime reports an undeclared rank as [] too; prefer the protobuf's dims whenever it has them.
  const shape = proto && proto.shape.length > 0 ? proto.shape : ortShape;
  return { name: meta.name, datatype, shape };
}

/**
 * Checks the model (inspectModel), creates a session, and returns both views of its signature merged — of the model
 * in its servable form (servable-model.ts), as the data plane loads it.
 */
export async function createSessionAndSignature(
  uploaded: Uint8Array,
  options: ort.InferenceSession.SessionOptions = {},
): Promise<LoadedModel> {
  const { bytes, unzipped } = servableModel(uploaded);
  const inspection = inspectModel(bytes);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3, ...options });
  } catch (e) {
    throw new InvalidModelError(`onnxruntime cannot load the model: ${cleanOrtMessage(String((e as Error)?.message ?? e))}`);
  }
  try {
    const byName = (specs: TensorSpec[]) => new Map(specs.map((s) => [s.name, s]));
    const protoIn = byName(inspection.signature.inputs);
    const protoOut = byName(inspection.signature.outputs);
    const signature = {
      inputs: session.inputMetadata.map((m) => mergeSpec(m, protoIn.get(m.name))),
      outputs: session.outputMetadata.map((m) => mergeSpec(m, protoOut.get(m.name))),
    };
    return { session, signature, inspection, unzipped };
  } catch (e) {
    await session.release();
    throw e;
  }
}

function zeroTensor(spec: TensorSpec, dims: number[]): ort.Tensor {
  const count = dims.reduce((a, d) => a * d, 1);
  if (spec.datatype === "BYTES") return new ort.Tensor("string", new Array<string>(count).fill(""), dims);
  const Ctor = typedArrayFor(spec.datatype)!;
  return new ort.Tensor(ortFromV2(spec.datatype), new Ctor(count), dims);
}

/**
 * One inference with all-zero inputs, dynamic dimensions set to 1. Never throws: a model that fails on zeros
 * gets { ok: false, reason }, and one whose inputs would be too large to fake gets { ok: false, skipped: true }.
 */
export async function smokeRun(session: ort.InferenceSession, signature: ModelSignature): Promise<SmokeResult> {
  try {
    const feeds: Record<string, ort.Tensor> = {};
    let elements = 0;
    for (const spec of signature.inputs) {
      const dims = spec.shape.map((d) => (d < 0 ? 1 : d));
      elements += dims.reduce((a, d) => a * d, 1);
      if (elements > SMOKE_MAX_ELEMENTS) {
        return { ok: false, skipped: true, reason: `inputs have more than ${SMOKE_MAX_ELEMENTS} elements; smoke run skipped` };
      }
      feeds[spec.name] = zeroTensor(spec, dims);
    }
    const started = performance.now();
    await session.run(feeds);
    return { ok: true, ms: performance.now() - started };
  } catch (e) {
    return { ok: false, reason: `inference on zero inputs failed: ${cleanOrtMessage(String((e as Error)?.message ?? e))}` };
  }
}
