import { describe, expect, it } from "vitest";
import { answersInJson, buildInferResponse, type NamedTensor } from "./build-infer-response";
import { parseInferRequest } from "./parse-infer-request";
import { jsonBody, limits, oipMessage, rawOf, readResponse, signature } from "./test-support";

const probs: NamedTensor = { name: "probs", datatype: "FP32", shape: [1, 4], data: new Float32Array([0.5, 0.25, 0.125, 0.125]) };
const label: NamedTensor = { name: "label", datatype: "INT64", shape: [1], data: new BigInt64Array([3n]) };
const base = { modelName: "fraud", modelVersion: "3", outputs: [probs, label], binaryDefault: false };

describe("buildInferResponse", () => {
  it("answers in JSON, echoing the id", () => {
    const { body, headers } = buildInferResponse({ ...base, id: "r1" });
    expect(headers).toEqual({ "Content-Type": "application/json" });
    expect(body.toString()).toBe(
      '{"model_name":"fraud","model_version":"3","id":"r1","outputs":[' +
        '{"name":"probs","datatype":"FP32","shape":[1,4],"data":[0.5,0.25,0.125,0.125]},' +
        '{"name":"label","datatype":"INT64","shape":[1],"data":[3]}]}',
    );
  });

  it("leaves id out when the request had none", () => {
    expect(JSON.parse(buildInferResponse(base).body.toString())).not.toHaveProperty("id");
  });

  it("selects and orders outputs by the request's outputs list", () => {
    const { body } = buildInferResponse({ ...base, requested: [{ name: "label", binary: false }] });
    expect(JSON.parse(body.toString()).outputs.map((o: { name: string }) => o.name)).toEqual(["label"]);
    const both = buildInferResponse({ ...base, requested: [{ name: "label", binary: false }, { name: "probs", binary: false }] });
    expect(JSON.parse(both.body.toString()).outputs.map((o: { name: string }) => o.name)).toEqual(["label", "probs"]);
    const empty = buildInferResponse({ ...base, requested: [] });
    expect(JSON.parse(empty.body.toString()).outputs).toHaveLength(2);
  });

  it("says an answer has JSON outputs exactly when buildInferResponse writes one as JSON", () => {
    const lists = [undefined, [], [{ name: "label", binary: true }], [{ name: "label", binary: false }], [{ name: "probs", binary: true }, { name: "label", binary: false }], [{ name: "probs", binary: true }, { name: "label", binary: true }]];
    for (const requested of lists) {
      for (const binaryDefault of [false, true]) {
        const { body, headers } = buildInferResponse({ ...base, requested, binaryDefault });
        const outputs = readResponse(body, headers).json.outputs as { data?: unknown }[];
        expect(answersInJson(requested, binaryDefault)).toBe(outputs.some((o) => o.data !== undefined));
      }
    }
  });

  it("rejects an unknown requested output", () => {
    expect(oipMessage(() => buildInferResponse({ ...base, requested: [{ name: "logits", binary: true }] }))).toBe(
      "requested output 'logits' is not an output of the model (outputs: probs, label)",
    );
  });

  it("mixes JSON and binary outputs as asked, binary tails in output order", () => {
    const { body, headers } = buildInferResponse({
      ...base,
      modelName: "modèle", // the header length counts bytes, not characters
      requested: [
        { name: "label", binary: true },
        { name: "probs", binary: false },
      ],
    });
    expect(headers["Content-Type"]).toBe("application/octet-stream");
    const headerLength = Number(headers["Inference-Header-Content-Length"]);
    expect(body.length).toBe(headerLength + 8);
    const { json, binary } = readResponse(body, headers);
    expect(json.model_name).toBe("modèle");
    expect(json.outputs).toEqual([
      { name: "label", datatype: "INT64", shape: [1], parameters: { binary_data_size: 8 } },
      { name: "probs", datatype: "FP32", shape: [1, 4], data: [0.5, 0.25, 0.125, 0.125] },
    ]);
    expect(binary.get("label")!.readBigInt64LE(0)).toBe(3n);
  });

  it("sends every output as binary when binary_data_output asks and no output is named", () => {
    const { body, headers } = buildInferResponse({ ...base, binaryDefault: true });
    const { json, binary } = readResponse(body, headers);
    expect(json.outputs.map((o: { parameters: unknown }) => o.parameters)).toEqual([
      { binary_data_size: 16 },
      { binary_data_size: 8 },
    ]);
    expect(new Uint8Array(binary.get("probs")!)).toEqual(rawOf(probs.data as Float32Array));
  });

  it("writes NaN and infinities as strings that read back as the numbers", () => {
    const odd: NamedTensor = { name: "probs", datatype: "FP32", shape: [4], data: new Float32Array([NaN, Infinity, -Infinity, 1]) };
    const { body } = buildInferResponse({ ...base, outputs: [odd] });
    const output = JSON.parse(body.toString()).outputs[0];
    expect(output.data).toEqual(["NaN", "Infinity", "-Infinity", 1]);
    const sig = signature([{ name: "probs", datatype: "FP32", shape: [4] }]);
    const back = parseInferRequest(jsonBody({ inputs: [output] }), {}, sig, limits).inputs.get("probs")!.data as Float32Array;
    expect([Number.isNaN(back[0]), back[1], back[2], back[3]]).toEqual([true, Infinity, -Infinity, 1]);
  });

  it("accepts FP16 outputs handed over as decoded floats", () => {
    const half: NamedTensor = { name: "h", datatype: "FP16", shape: [2], data: new Float32Array([1, 0.5]) };
    const json = JSON.parse(buildInferResponse({ ...base, outputs: [half] }).body.toString());
    expect(json.outputs[0].data).toEqual([1, 0.5]);
    const { body, headers } = buildInferResponse({ ...base, outputs: [half], binaryDefault: true });
    expect([...new Uint16Array(rawOf(readResponse(body, headers).binary.get("h")!).buffer)]).toEqual([0x3c00, 0x3800]);
  });

  it("answers 500 when an output's data does not fit its shape", () => {
    const bad: NamedTensor = { ...probs, shape: [2, 4] };
    expect(oipMessage(() => buildInferResponse({ ...base, outputs: [bad] }), 500)).toBe(
      "output 'probs' has 4 elements, its shape [2,4] needs 8",
    );
  });
});
