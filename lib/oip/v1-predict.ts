/**
 * KServe's V1 protocol beside the Open Inference Protocol: TensorFlow Serving's REST "row" format, which KServe's
 * scikit-learn, XGBoost and LightGBM runtimes speak by default and most of its examples call:
 *   POST /v1/models/{endpoint}:predict  {"instances": [row, row, …]}  →  {"predictions": [row, row, …]}
 * A model with one input takes each instance as one row of it; a model with several takes each instance as an object
 * of them by name. The instances become an Open Inference Protocol request (readInferRequest checks it, with its
 * messages), so routing, batching and recording are the V2 path's. An answer with one output lists its rows; with
 * several, each row is an object of them by name (TensorFlow Serving's rule). Pure.
 */
import type { ModelSignature } from "@/lib/tensor/datatypes";
import type { NamedTensor } from "./build-infer-response";
import { encodeJsonData } from "./encode-json-data";
import { oipBadRequest } from "./oip-error";
import { readInferRequest, type InferRequest, type ParseInferRequestLimits } from "./parse-infer-request";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A nested array's dimensions, read along its first elements (raggedness is readInferRequest's to find). */
function dimsOf(value: unknown): number[] {
  const dims: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) dims.push(v.length);
  return dims;
}

/** A V1 body's JSON read against a signature: its instances as the V2 request they stand for, checked as V2's are. */
export function readV1Request(json: unknown, body: Buffer, signature: ModelSignature, limits: ParseInferRequestLimits): InferRequest {
  return readInferRequest(v1RequestJson(json, signature), body, undefined, signature, limits);
}

/** A V1 body's JSON, parsed (a 400 saying what to send when it is not JSON). */
export function readV1Json(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw oipBadRequest('request body is not valid JSON: send {"instances": [row, …]}');
  }
}

/** A V1 body, parsed, as the Open Inference Protocol request JSON it stands for (readInferRequest reads it). */
export function v1RequestJson(body: unknown, signature: ModelSignature): Record<string, unknown> {
  if (!isObject(body)) throw oipBadRequest('request body must be a JSON object: {"instances": [...]}');
  const instances = body.instances;
  if (instances === undefined) {
    throw oipBadRequest(
      body.inputs !== undefined
        ? `send the rows as "instances" (V1's columnar "inputs" form is not supported; or POST an Open Inference Protocol request to /v2/models/{endpoint}/infer)`
        : 'the request has no "instances": send {"instances": [row, …]}, one row per instance',
    );
  }
  if (!Array.isArray(instances)) throw oipBadRequest('"instances" must be a list, one row per instance');
  if (instances.length === 0) throw oipBadRequest('"instances" is empty: send at least one row');
  const names = signature.inputs.map((i) => i.name);
  const named = signature.inputs.length > 1 || (isObject(instances[0]) && names[0] in instances[0]);
  const inputs = signature.inputs.map((spec) => {
    const data = named
      ? instances.map((instance, i) => {
          if (!isObject(instance) || !(spec.name in instance)) {
            throw oipBadRequest(`instance ${i} has no '${spec.name}': this model takes ${names.map((n) => `'${n}'`).join(", ")}, so send each instance as an object of them`);
          }
          return instance[spec.name];
        })
      : instances;
    return { name: spec.name, datatype: spec.datatype, shape: [data.length, ...dimsOf(data[0])], data };
  });
  return { inputs };
}

/** Each element of a tensor as JSON text, as the V2 answer writes it. */
function itemTexts(t: NamedTensor): string[] {
  if (Array.isArray(t.data)) return t.data.map((s) => JSON.stringify(s));
  // No item of a numeric tensor's text holds a comma (numbers, true/false, "NaN", "Infinity").
  const text = t.json?.text ?? encodeJsonData(t.datatype, t.data);
  return text === "" ? [] : text.split(",");
}

function nest(items: string[], dims: number[]): string {
  if (dims.length === 0) return items[0] ?? "null";
  const [d, ...rest] = dims;
  const size = rest.reduce((a, x) => a * x, 1);
  const parts: string[] = [];
  for (let i = 0; i < d; i++) parts.push(nest(items.slice(i * size, (i + 1) * size), rest));
  return `[${parts.join(",")}]`;
}

/** A V1 answer's JSON text, {"predictions": [...]}, from the outputs of a run, in the model's order. */
export function v1PredictionsText(outputs: NamedTensor[]): string {
  const rows = outputs.map((t) => {
    const items = itemTexts(t);
    const n = t.shape.length > 0 ? t.shape[0] : 1;
    const perRow = n > 0 ? items.length / n : 0;
    return Array.from({ length: n }, (_, r) => nest(items.slice(r * perRow, (r + 1) * perRow), t.shape.slice(1)));
  });
  if (outputs.length === 1) return `{"predictions":[${rows[0].join(",")}]}`;
  const n = Math.min(...rows.map((r) => r.length));
  const predictions = Array.from({ length: n }, (_, r) => `{${outputs.map((t, o) => `${JSON.stringify(t.name)}:${rows[o][r]}`).join(",")}}`);
  return `{"predictions":[${predictions.join(",")}]}`;
}
