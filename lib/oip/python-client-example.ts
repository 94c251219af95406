/**
 * A Python program that calls an endpoint with Triton's client library (`tritonclient.http` or `tritonclient.grpc`),
 * for the dashboard's "Call this version" examples: one request of the model's inputs (zeros, one row where a dimension
 * is dynamic), the token from `$FERRY_TOKEN`, every output printed as a numpy array — an output with class labels asked
 * for as its top classes (`class_count`, Triton's classification extension), which answer "score:index:label". Pure.
 */
import type { TensorSpec, V2Datatype } from "@/lib/tensor/datatypes";
import { concreteShape } from "./example-request";

export type PythonTransport = "http" | "grpc";

/** numpy's name for each datatype's elements (BYTES as Python objects holding bytes, as tritonclient expects). */
const NUMPY_DTYPE: Record<V2Datatype, string> = {
  BOOL: "np.bool_",
  UINT8: "np.uint8",
  UINT16: "np.uint16",
  UINT32: "np.uint32",
  UINT64: "np.uint64",
  INT8: "np.int8",
  INT16: "np.int16",
  INT32: "np.int32",
  INT64: "np.int64",
  FP16: "np.float16",
  FP32: "np.float32",
  FP64: "np.float64",
  BYTES: "np.object_",
};

/** `host:port` of a base URL (what tritonclient takes), and whether it is https. */
function hostPort(url: string): { address: string; ssl: boolean } {
  const u = new URL(url);
  const ssl = u.protocol === "https:";
  return { address: `${u.hostname}:${u.port || (ssl ? "443" : "80")}`, ssl };
}

/** The gRPC address beside a data plane's HTTP URL: its host, the gRPC port. */
export function grpcAddress(inferenceUrl: string, grpcPort: number): string {
  return `${new URL(inferenceUrl).hostname}:${grpcPort}`;
}

const pyString = (s: string) => JSON.stringify(s);

export function pythonClientExample(o: {
  transport: PythonTransport;
  /** HTTP: the data plane's URL; gRPC: its host:port. */
  address: string;
  endpoint: string;
  /** Pin a version (routing bypassed); absent: the endpoint's routing decides. */
  version?: number;
  inputs: readonly TensorSpec[];
  outputs: readonly TensorSpec[];
  /** The version's class labels by output name (the signature's). */
  labels?: Readonly<Record<string, readonly string[]>>;
}): string {
  const library = o.transport === "grpc" ? "tritonclient.grpc" : "tritonclient.http";
  const http = o.transport === "http" ? hostPort(o.address) : undefined;
  const address = http ? http.address : o.address;
  const lines = [
    `import os`,
    `import numpy as np`,
    `import ${library} as client  # pip install "tritonclient[${o.transport === "grpc" ? "grpc" : "http"}]"`,
    ``,
    `triton = client.InferenceServerClient(${pyString(address)}${http?.ssl ? ", ssl=True" : ""})`,
    `headers = {"authorization": "Bearer " + os.environ["FERRY_TOKEN"]}  # a token with the infer scope`,
    ``,
    `inputs = []`,
  ];
  for (const input of o.inputs) {
    const shape = concreteShape(input.shape);
    const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
    const data =
      input.datatype === "BYTES"
        ? `np.full(${tuple}, b"", dtype=np.object_)`
        : `np.zeros(${tuple}, dtype=${NUMPY_DTYPE[input.datatype]})`;
    lines.push(`x = client.InferInput(${pyString(input.name)}, [${shape.join(", ")}], ${pyString(input.datatype)})`);
    lines.push(`x.set_data_from_numpy(${data})`);
    lines.push(`inputs.append(x)`);
  }
  const version = o.version === undefined ? "" : `, model_version=${pyString(String(o.version))}`;
  const labelled = o.outputs.filter((out) => o.labels?.[out.name]?.length);
  let outputs = "";
  if (labelled.length) {
    // Asking for outputs returns only those asked for: every output is listed, the labelled ones as their top classes.
    lines.push(``, `outputs = []`);
    for (const out of o.outputs) {
      const count = o.labels?.[out.name]?.length ? Math.min(3, o.labels[out.name].length) : 0;
      const top = count ? `, class_count=${count}` : "";
      lines.push(`outputs.append(client.InferRequestedOutput(${pyString(out.name)}${top}))${count ? `  # its top ${count} classes, "score:index:label"` : ""}`);
    }
    outputs = ", outputs=outputs";
  }
  lines.push(``, `result = triton.infer(${pyString(o.endpoint)}, inputs${version}${outputs}, headers=headers)`);
  for (const output of o.outputs) lines.push(`print(${pyString(output.name)}, result.as_numpy(${pyString(output.name)}))`);
  return lines.join("\n");
}
