/**
 * Reads an uploaded .onnx file without onnxruntime: what it declares (IR version, opsets, producer, metadata, the
 * tensor signature) and whether it is safe and loadable at all. Runs before any InferenceSession sees the bytes,
 * so a hostile file (external data pointing at "../../etc/passwd", unknown custom-op domains) is refused here.
 * Pure: usable by both planes.
 */
import { AppError } from "@/lib/errors";
import { v2FromOnnx, type ModelSignature, type TensorSpec } from "@/lib/tensor/datatypes";
import { classifierLabels } from "./declared-labels";
import { functionAttributeDefaults } from "./function-attribute-defaults";
import { onnx, type OnnxTypes } from "./model-proto";

/**
 * What the bundled onnxruntime-node 1.30.0 accepts, found by experiment (building models at increasing versions and
 * creating an InferenceSession): IR ≤ 13 ("max supported IR version: 13"); opset ≤ 26 for the default domain and
 * ≤ 5 for ai.onnx.ml, ≤ 1 for com.microsoft (higher ones fail with "Opset N is under development"). Re-check these
 * when onnxruntime-node is upgraded (inspect-model.test.ts pins the edges against the real runtime).
 */
export const ONNX_SUPPORT = {
  onnxruntime: "1.30.0",
  maxIrVersion: 13,
  maxOpsets: { "": 26, "ai.onnx.ml": 5, "com.microsoft": 1 } as Readonly<Record<string, number>>,
} as const;

/** A file Ferry will not load, with a reason meant for the person who uploaded it. Maps to HTTP 422. */
export class InvalidModelError extends AppError {
  readonly reason: string;
  constructor(reason: string) {
    super("unprocessable", reason);
    this.name = "InvalidModelError";
    this.reason = reason;
  }
}

export interface ModelInspection {
  irVersion: number;
  /** Opset of the default ("" / "ai.onnx") domain; null when the model imports none. */
  opset: number | null;
  /** Every imported opset by domain; "ai.onnx" is reported as "". */
  opsets: Record<string, number>;
  producer: { name: string; version: string };
  metadata: Record<string, string>;
  /** Graph inputs minus initializers, and graph outputs; -1 for a dynamic (dimParam) or unknown dimension. */
  signature: ModelSignature;
  /** Names of inputs/outputs whose rank the model does not declare (their shape is reported as []). */
  unknownRank: string[];
  docString: string;
  /** The classes the main graph's ML-domain classifiers declare (declared-labels.ts), one list per distinct set. */
  classLabels: string[][];
}

type Long = { toNumber(): number };
const toNumber = (v: number | Long | null | undefined): number => (v == null ? 0 : typeof v === "number" ? v : v.toNumber());
const normalizeDomain = (d: string | null | undefined) => (!d || d === "ai.onnx" ? "" : d);
const describeDomain = (d: string) => (d === "" ? "the default (ai.onnx) domain" : `domain '${d}'`);

function decode(bytes: Uint8Array): OnnxTypes.ModelProto {
  if (bytes.length === 0) throw new InvalidModelError("not an ONNX model: the file is empty");
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch {
    throw new InvalidModelError("not an ONNX model: the file is not a valid ModelProto (truncated or random bytes?)");
  }
  // Protobuf parsing is lenient: random bytes sometimes parse as a message of unknown fields. A real model has these.
  if (!model.graph || toNumber(model.irVersion) <= 0 || model.opsetImport.length === 0) {
    const missing = !model.graph ? "graph" : toNumber(model.irVersion) <= 0 ? "ir_version" : "opset_import";
    throw new InvalidModelError(`not an ONNX model: the file parses as protobuf but has no ${missing} (truncated or random bytes?)`);
  }
  return model;
}

function checkVersions(model: OnnxTypes.ModelProto): Record<string, number> {
  const irVersion = toNumber(model.irVersion);
  if (irVersion > ONNX_SUPPORT.maxIrVersion) {
    throw new InvalidModelError(
      `IR version ${irVersion} is newer than onnxruntime ${ONNX_SUPPORT.onnxruntime} supports (at most ${ONNX_SUPPORT.maxIrVersion}); export the model with an older ONNX version`,
    );
  }
  const opsets: Record<string, number> = {};
  for (const imp of model.opsetImport) {
    const domain = normalizeDomain(imp.domain);
    const version = toNumber(imp.version);
    const max = ONNX_SUPPORT.maxOpsets[domain];
    if (max !== undefined && version > max) {
      throw new InvalidModelError(
        `opset ${version} of ${describeDomain(domain)} is newer than onnxruntime ${ONNX_SUPPORT.onnxruntime} supports (at most ${max}); export with a lower opset`,
      );
    }
    opsets[domain] = Math.max(opsets[domain] ?? 0, version);
  }
  return opsets;
}

/** Walks every place a tensor or an operator can hide: graphs, subgraphs, functions, training graphs. */
class ModelWalker {
  private readonly localFunctions: Set<string>;

  constructor(functions: OnnxTypes.IFunctionProto[]) {
    this.localFunctions = new Set(functions.map((f) => `${f.domain ?? ""}:${f.name ?? ""}`));
  }

  tensor(t: OnnxTypes.ITensorProto | null | undefined, where: string) {
    if (!t) return;
    const external = t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData?.length ?? 0) > 0;
    if (!external) return;
    const location = t.externalData?.find((e) => e.key === "location")?.value;
    const shown = location ? ` at ${JSON.stringify(location.slice(0, 200))}` : "";
    throw new InvalidModelError(
      `tensor '${t.name || "(unnamed)"}' (${where}) refers to external data${shown}; Ferry accepts only self-contained models: save the model with all tensors inside the .onnx file`,
    );
  }

  sparse(s: OnnxTypes.ISparseTensorProto | null | undefined, where: string) {
    this.tensor(s?.values, where);
    this.tensor(s?.indices, where);
  }

  attribute(a: OnnxTypes.IAttributeProto, where: string) {
    const at = `attribute '${a.name ?? ""}' of ${where}`;
    this.tensor(a.t, at);
    for (const t of a.tensors ?? []) this.tensor(t, at);
    this.sparse(a.sparseTensor, at);
    for (const s of a.sparseTensors ?? []) this.sparse(s, at);
    if (a.g) this.graph(a.g, `subgraph '${a.name ?? ""}' of ${where}`);
    for (const g of a.graphs ?? []) this.graph(g, `subgraph '${a.name ?? ""}' of ${where}`);
  }

  nodes(nodes: OnnxTypes.INodeProto[], where: string) {
    for (const n of nodes) {
      const label = `node '${n.name || n.opType}' in ${where}`;
      const domain = normalizeDomain(n.domain);
      if (!(domain in ONNX_SUPPORT.maxOpsets) && !this.localFunctions.has(`${n.domain ?? ""}:${n.opType ?? ""}`)) {
        throw new InvalidModelError(
          `${label} uses operator '${n.opType}' from domain '${domain}', which onnxruntime does not provide (custom operators are not supported) and no function in the model defines`,
        );
      }
      for (const a of n.attribute ?? []) this.attribute(a, label);
    }
  }

  graph(g: OnnxTypes.IGraphProto, where: string) {
    for (const t of g.initializer ?? []) this.tensor(t, `initializer of ${where}`);
    for (const s of g.sparseInitializer ?? []) this.sparse(s, `sparse initializer of ${where}`);
    this.nodes(g.node ?? [], where);
  }
}

function walkModel(model: OnnxTypes.ModelProto, bytes: Uint8Array) {
  const walker = new ModelWalker(model.functions);
  walker.graph(model.graph!, "the main graph");
  for (const f of model.functions) walker.nodes(f.node ?? [], `function '${f.name}'`);
  model.trainingInfo.forEach((info, i) => {
    if (info.initialization) walker.graph(info.initialization, `training initialization graph ${i}`);
    if (info.algorithm) walker.graph(info.algorithm, `training algorithm graph ${i}`);
  });
  for (const { functionIndex, attribute } of functionAttributeDefaults(bytes)) {
    walker.attribute(onnx.AttributeProto.decode(attribute), `function '${model.functions[functionIndex]?.name ?? functionIndex}' (default value)`);
  }
}

function elemTypeName(elemType: number): string {
  return onnx.TensorProto.DataType[elemType] ?? `element type ${elemType}`;
}

function tensorSpec(v: OnnxTypes.IValueInfoProto, role: "input" | "output", unknownRank: string[]): TensorSpec {
  const name = v.name ?? "";
  const tensorType = v.type?.tensorType;
  if (!tensorType) {
    const kind = v.type ? Object.keys(v.type).find((k) => k.endsWith("Type") && (v.type as Record<string, unknown>)[k]) : undefined;
    throw new InvalidModelError(
      `${role} '${name}' is ${kind ? `a ${kind.replace(/Type$/, "")}` : "untyped"}, not a tensor; the Open Inference Protocol carries tensors only`,
    );
  }
  const elemType = tensorType.elemType ?? 0;
  const datatype = v2FromOnnx(elemType);
  if (!datatype) {
    throw new InvalidModelError(`${role} '${name}' has element type ${elemTypeName(elemType)}, which the Open Inference Protocol cannot carry`);
  }
  if (!tensorType.shape) {
    unknownRank.push(name);
    return { name, datatype, shape: [] };
  }
  // Decoded messages report unset scalars as 0, so only the oneof tells a fixed 0 from an unknown dimension.
  const shape = (tensorType.shape.dim ?? []).map((d) => {
    const fixed = (d as OnnxTypes.TensorShapeProto.Dimension).value === "dimValue" ? toNumber(d.dimValue) : -1;
    return fixed >= 0 ? fixed : -1;
  });
  return { name, datatype, shape };
}

function signatureOf(graph: OnnxTypes.IGraphProto, unknownRank: string[]): ModelSignature {
  const initializers = new Set([...(graph.initializer ?? []).map((t) => t.name), ...(graph.sparseInitializer ?? []).map((s) => s.values?.name)]);
  return {
    inputs: (graph.input ?? []).filter((v) => !initializers.has(v.name)).map((v) => tensorSpec(v, "input", unknownRank)),
    outputs: (graph.output ?? []).map((v) => tensorSpec(v, "output", unknownRank)),
  };
}

/** Parses and checks a model file; throws InvalidModelError with a readable reason when Ferry cannot serve it. */
export function inspectModel(bytes: Uint8Array): ModelInspection {
  const model = decode(bytes);
  const opsets = checkVersions(model);
  try {
    walkModel(model, bytes);
  } catch (e) {
    if (e instanceof InvalidModelError) throw e;
    throw new InvalidModelError("not an ONNX model: the file is not a valid ModelProto (truncated or random bytes?)");
  }
  const unknownRank: string[] = [];
  const signature = signatureOf(model.graph!, unknownRank);
  if (signature.outputs.length === 0) throw new InvalidModelError("the model's graph declares no outputs");
  return {
    irVersion: toNumber(model.irVersion),
    opset: opsets[""] ?? null,
    opsets,
    producer: { name: model.producerName ?? "", version: model.producerVersion ?? "" },
    metadata: Object.fromEntries(model.metadataProps.map((p) => [p.key ?? "", p.value ?? ""])),
    signature,
    unknownRank,
    docString: model.docString ?? "",
    classLabels: classifierLabels(model.graph!),
  };
}
