import { describe, expect, it } from "vitest";
import type { V2Datatype } from "@/lib/tensor/datatypes";
import { buildInferResponse } from "./build-infer-response";
import { loggedValues, toLoggedTensors } from "./logged-tensors";
import type { TensorData } from "./oip-tensor";
import { parseInferRequest } from "./parse-infer-request";
import { jsonBody, limits, rawOf, readResponse, serializeBytes, signature, tritonRequest } from "./test-support";

interface Case {
  datatype: V2Datatype;
  /** What a client writes in JSON `data`. */
  json: unknown[];
  /** What onnxruntime-node gets. */
  data: TensorData;
  /** What the JSON response's text holds (exact digits). */
  text: string;
}

const cases: Case[] = [
  { datatype: "BOOL", json: [true, false, true], data: new Uint8Array([1, 0, 1]), text: "true,false,true" },
  { datatype: "UINT8", json: [0, 255, 7], data: new Uint8Array([0, 255, 7]), text: "0,255,7" },
  { datatype: "INT8", json: [-128, 127, 0], data: new Int8Array([-128, 127, 0]), text: "-128,127,0" },
  { datatype: "UINT16", json: [0, 65535, 300], data: new Uint16Array([0, 65535, 300]), text: "0,65535,300" },
  { datatype: "INT16", json: [-32768, 32767, -1], data: new Int16Array([-32768, 32767, -1]), text: "-32768,32767,-1" },
  { datatype: "UINT32", json: [0, 4294967295, 1], data: new Uint32Array([0, 4294967295, 1]), text: "0,4294967295,1" },
  {
    datatype: "INT32",
    json: [-2147483648, 2147483647, 0],
    data: new Int32Array([-2147483648, 2147483647, 0]),
    text: "-2147483648,2147483647,0",
  },
  {
    datatype: "UINT64",
    json: [0, "18446744073709551615", 42],
    data: new BigUint64Array([0n, 2n ** 64n - 1n, 42n]),
    text: "0,18446744073709551615,42",
  },
  {
    datatype: "INT64",
    json: ["-9223372036854775808", "9223372036854775807", -3],
    data: new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, -3n]),
    text: "-9223372036854775808,9223372036854775807,-3",
  },
  { datatype: "FP16", json: [1, -2.5, 65504], data: new Uint16Array([0x3c00, 0xc100, 0x7bff]), text: "1,-2.5,65504" },
  {
    datatype: "FP32",
    json: [1.5, -0.25, 3.4028234663852886e38],
    data: new Float32Array([1.5, -0.25, 3.4028234663852886e38]),
    text: "1.5,-0.25,3.4028234663852886e+38",
  },
  {
    datatype: "FP64",
    json: [Math.PI, -1e300, 5e-324],
    data: new Float64Array([Math.PI, -1e300, 5e-324]),
    text: "3.141592653589793,-1e+300,5e-324",
  },
  { datatype: "BYTES", json: ["héllo", "", 'a,"b"\n'], data: ["héllo", "", 'a,"b"\n'], text: '"héllo","","a,\\"b\\"\\n"' },
];

const rawBytes = (c: Case) => (Array.isArray(c.data) ? serializeBytes(c.data) : rawOf(c.data));

describe.each(cases)("$datatype round trip", (c) => {
  const sig = signature([{ name: "t", datatype: c.datatype, shape: [-1] }], [{ name: "t", datatype: c.datatype, shape: [-1] }]);

  it("parses JSON data", () => {
    const req = parseInferRequest(jsonBody({ inputs: [{ name: "t", datatype: c.datatype, shape: [3], data: c.json }] }), {}, sig, limits);
    expect(req.inputs.get("t")).toEqual({ datatype: c.datatype, shape: [3], data: c.data });
  });

  it("is logged (stored as JSON) and read back as its JSON values", () => {
    const stored = JSON.parse(JSON.stringify(toLoggedTensors(new Map([["t", { datatype: c.datatype, shape: [3], data: c.data }]]))));
    expect(stored.t).toMatchObject({ datatype: c.datatype, shape: [3] });
    expect(stored.t.truncated).toBeUndefined();
    expect(loggedValues(stored.t)).toEqual(c.json);
  });

  it("parses binary data", () => {
    const { body, headerLength } = tritonRequest([{ name: "t", shape: [3], datatype: c.datatype, raw: rawBytes(c) }]);
    const req = parseInferRequest(body, { inferenceHeaderContentLength: headerLength }, sig, limits);
    expect(req.inputs.get("t")).toEqual({ datatype: c.datatype, shape: [3], data: c.data });
  });

  it("answers in JSON with exact values", () => {
    const { body, headers } = buildInferResponse({
      modelName: "m",
      modelVersion: "1",
      outputs: [{ name: "t", datatype: c.datatype, shape: [3], data: c.data }],
      binaryDefault: false,
    });
    expect(headers).toEqual({ "Content-Type": "application/json" });
    expect(body.toString()).toBe(
      `{"model_name":"m","model_version":"1","outputs":[{"name":"t","datatype":"${c.datatype}","shape":[3],"data":[${c.text}]}]}`,
    );
    // What came out goes back in: the JSON answer is itself valid request data (64-bit extremes aside, which JSON
    // numbers cannot carry exactly).
    if (c.datatype !== "INT64" && c.datatype !== "UINT64") {
      const output = JSON.parse(body.toString()).outputs[0];
      const again = parseInferRequest(jsonBody({ inputs: [output] }), {}, sig, limits);
      expect(again.inputs.get("t")!.data).toEqual(c.data);
    }
  });

  it("answers in binary with the exact bytes", () => {
    const { body, headers } = buildInferResponse({
      modelName: "m",
      modelVersion: "1",
      outputs: [{ name: "t", datatype: c.datatype, shape: [3], data: c.data }],
      binaryDefault: true,
    });
    expect(headers["Content-Type"]).toBe("application/octet-stream");
    const { json, binary } = readResponse(body, headers);
    expect(json.outputs[0]).toEqual({
      name: "t",
      datatype: c.datatype,
      shape: [3],
      parameters: { binary_data_size: rawBytes(c).length },
    });
    expect(new Uint8Array(binary.get("t")!)).toEqual(new Uint8Array(rawBytes(c)));
  });
});
