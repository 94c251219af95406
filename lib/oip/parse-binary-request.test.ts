import { describe, expect, it } from "vitest";
import { parseInferRequest } from "./parse-infer-request";
import { limits, oipMessage, rawOf, serializeBytes, signature, tritonRequest } from "./test-support";

const sig = signature(
  [
    { name: "INPUT0", datatype: "FP32", shape: [-1, 4] },
    { name: "TEXT", datatype: "BYTES", shape: [-1] },
  ],
  [{ name: "OUTPUT0", datatype: "FP32", shape: [-1, 4] }],
);
const fp32Sig = signature([sig.inputs[0]], sig.outputs);
const parse = (body: Buffer, headerLength?: string, s = sig) =>
  parseInferRequest(body, { inferenceHeaderContentLength: headerLength, contentType: "application/octet-stream" }, s, limits);

describe("parseInferRequest: binary tensor data extension", () => {
  it("reads a request laid out byte for byte as tritonclient sends it", () => {
    const header =
      '{"inputs":[{"name":"INPUT0","shape":[1,4],"datatype":"FP32","parameters":{"binary_data_size":16}},' +
      '{"name":"TEXT","shape":[2],"datatype":"BYTES","parameters":{"binary_data_size":14}}],' +
      '"parameters":{"binary_data_output":true}}';
    const body = Buffer.concat([
      Buffer.from(header),
      Buffer.from([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x40, 0x40, 0x00, 0x00, 0x80, 0x40]), // 1,2,3,4
      Buffer.from([0x03, 0x00, 0x00, 0x00, 0x61, 0x62, 0x63]), // "abc"
      Buffer.from([0x03, 0x00, 0x00, 0x00, 0xc3, 0xa9, 0x21]), // "é!"
    ]);
    const req = parse(body, String(Buffer.byteLength(header)));
    expect(req.inputs.get("INPUT0")).toEqual({ datatype: "FP32", shape: [1, 4], data: new Float32Array([1, 2, 3, 4]) });
    expect(req.inputs.get("TEXT")).toEqual({ datatype: "BYTES", shape: [2], data: ["abc", "é!"] });
    expect(req.binaryOutputDefault).toBe(true);
    expect(req.outputs).toBeUndefined();
  });

  it("reads outputs asked for one by one, and a JSON input beside a binary one", () => {
    const header = JSON.stringify({
      id: "7",
      inputs: [
        { name: "TEXT", shape: [1], datatype: "BYTES", data: ["json"] },
        { name: "INPUT0", shape: [1, 4], datatype: "FP32", parameters: { binary_data_size: 16 } },
      ],
      outputs: [{ name: "OUTPUT0", parameters: { binary_data: true } }],
    });
    const body = Buffer.concat([Buffer.from(header), rawOf(new Float32Array([5, 6, 7, 8]))]);
    const req = parse(body, String(header.length));
    expect(req.id).toBe("7");
    expect(req.inputs.get("TEXT")!.data).toEqual(["json"]);
    expect(req.inputs.get("INPUT0")!.data).toEqual(new Float32Array([5, 6, 7, 8]));
    expect(req.outputs).toEqual([{ name: "OUTPUT0", binary: true }]);
  });

  it("views the body when the data is aligned and copies it when not", () => {
    const values = new Float32Array([1.5, -2, 3, 4, 5, 6, 7, 8]);
    for (const id of ["a", "ab", "abc", "abcd"]) {
      const { body, headerLength } = tritonRequest([{ name: "INPUT0", shape: [2, 4], datatype: "FP32", raw: rawOf(values) }], undefined, id);
      const data = parse(body, headerLength, fp32Sig).inputs.get("INPUT0")!.data as Float32Array;
      expect(data).toEqual(values);
      const aligned = (body.byteOffset + Number(headerLength)) % 4 === 0;
      expect(data.buffer === body.buffer).toBe(aligned);
    }
  });

  it("takes an empty BYTES element and arbitrary lengths", () => {
    const strings = ["", "x".repeat(300), "ünïcødé"];
    const { body, headerLength } = tritonRequest([
      { name: "INPUT0", shape: [1, 4], datatype: "FP32", raw: rawOf(new Float32Array(4)) },
      { name: "TEXT", shape: [3], datatype: "BYTES", raw: serializeBytes(strings) },
    ]);
    expect(parse(body, headerLength).inputs.get("TEXT")!.data).toEqual(strings);
  });

  it("accepts a header length equal to the whole body (no binary data at all)", () => {
    const body = Buffer.from(JSON.stringify({ inputs: [{ name: "INPUT0", shape: [1, 4], datatype: "FP32", data: [1, 2, 3, 4] }] }));
    expect(parse(body, String(body.length), fp32Sig).inputs.get("INPUT0")!.data).toEqual(new Float32Array([1, 2, 3, 4]));
  });
});

describe("parseInferRequest: binary validation messages", () => {
  const fp32 = (raw: Uint8Array, shape = [1, 4]) => ({ name: "INPUT0", shape, datatype: "FP32", raw });
  const one = (raw: Uint8Array, shape?: number[]) => tritonRequest([fp32(raw, shape)]);

  it("checks each tensor's size against its shape", () => {
    const { body, headerLength } = one(new Uint8Array(12));
    expect(oipMessage(() => parse(body, headerLength, fp32Sig))).toBe(
      "input 'INPUT0': expected 16 bytes of binary data for FP32 shape [1,4], got 12",
    );
  });

  it("checks that the sizes add up to the body exactly", () => {
    const { body, headerLength } = one(new Uint8Array(16));
    expect(oipMessage(() => parse(body.subarray(0, body.length - 4), headerLength, fp32Sig))).toBe(
      "input 'INPUT0': binary_data_size is 16 bytes, but only 12 bytes of binary data remain",
    );
    expect(oipMessage(() => parse(Buffer.concat([body, Buffer.alloc(3)]), headerLength, fp32Sig))).toBe(
      "request has 3 bytes of binary data beyond what the inputs' binary_data_size account for",
    );
  });

  it("checks the header length", () => {
    const { body } = one(new Uint8Array(16));
    for (const bad of ["0", "abc", "-5", String(body.length + 1), "1.5", ""]) {
      expect(oipMessage(() => parse(body, bad, fp32Sig))).toBe(
        `Inference-Header-Content-Length must be a whole number of bytes from 1 to the body's ${body.length}, got '${bad}'`,
      );
    }
    expect(oipMessage(() => parse(body, "20", fp32Sig))).toBe(
      "the request's first 20 bytes (Inference-Header-Content-Length) are not valid JSON",
    );
  });

  it("checks BYTES framing", () => {
    const withText = (raw: Uint8Array, shape = [2]) =>
      tritonRequest([fp32(new Uint8Array(16)), { name: "TEXT", shape, datatype: "BYTES", raw }]);
    const cut = withText(serializeBytes(["ab", "cd"]).subarray(0, 11));
    expect(oipMessage(() => parse(cut.body, cut.headerLength))).toBe(
      "input 'TEXT': element 1 claims 2 bytes, but only 1 byte of its binary data remain",
    );
    const prefix = withText(Buffer.concat([serializeBytes(["ab"]), Buffer.from([1, 0])]));
    expect(oipMessage(() => parse(prefix.body, prefix.headerLength))).toBe(
      "input 'TEXT': binary data ends inside element 1's 4-byte length",
    );
    const three = withText(serializeBytes(["a", "b", "c"]));
    expect(oipMessage(() => parse(three.body, three.headerLength))).toBe("input 'TEXT': expected 2 elements for shape [2], got 3");
  });

  it("rejects BOOL bytes other than 0 and 1", () => {
    const boolSig = signature([{ name: "b", datatype: "BOOL", shape: [3] }]);
    const { body, headerLength } = tritonRequest([{ name: "b", shape: [3], datatype: "BOOL", raw: new Uint8Array([1, 0, 2]) }]);
    expect(oipMessage(() => parse(body, headerLength, boolSig))).toBe("input 'b': element 2 is byte 2, a BOOL must be 0 or 1");
  });

  it("rejects data and binary_data_size together, and a bad binary_data_size", () => {
    const header = (params: unknown, data?: unknown) =>
      JSON.stringify({ inputs: [{ name: "INPUT0", shape: [1, 4], datatype: "FP32", parameters: params, data }] });
    const both = header({ binary_data_size: 16 }, [1, 2, 3, 4]);
    expect(oipMessage(() => parse(Buffer.concat([Buffer.from(both), Buffer.alloc(16)]), String(both.length), fp32Sig))).toBe(
      "input 'INPUT0' has both 'data' and 'binary_data_size'",
    );
    const negative = header({ binary_data_size: -16 });
    expect(oipMessage(() => parse(Buffer.from(negative), String(negative.length), fp32Sig))).toBe(
      "input 'INPUT0': 'binary_data_size' must be a non-negative integer",
    );
  });
});
