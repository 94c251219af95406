import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { ModelSignature } from "@/lib/tensor/datatypes";
import { OipError } from "./oip-error";
import { readInferRequest } from "./parse-infer-request";
import { v1PredictionsText, v1RequestJson } from "./v1-predict";

const LIMITS = { maxElements: 1 << 20, maxDims: 8 };
const one: ModelSignature = { inputs: [{ name: "x", datatype: "FP32", shape: [-1, 4] }], outputs: [{ name: "y", datatype: "FP32", shape: [-1, 2] }] };
const two: ModelSignature = {
  inputs: [
    { name: "age", datatype: "INT64", shape: [-1] },
    { name: "city", datatype: "BYTES", shape: [-1, 1] },
  ],
  outputs: [{ name: "y", datatype: "FP32", shape: [-1] }],
};
const read = (body: unknown, signature: ModelSignature) => readInferRequest(v1RequestJson(body, signature), Buffer.alloc(0), undefined, signature, LIMITS);

describe("KServe V1 requests", () => {
  it("reads each instance as a row of a one-input model", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 20 }), (rows) => {
        const x = read({ instances: rows }, one).inputs.get("x")!;
        expect(x.shape).toEqual([rows.length, 4]);
        expect(Array.from(x.data as Float32Array)).toEqual(rows.flat().map(Math.fround));
      }),
    );
    // Also as objects naming the input.
    expect(read({ instances: [{ x: [1, 2, 3, 4] }] }, one).inputs.get("x")!.shape).toEqual([1, 4]);
  });

  it("reads each instance as an object of the inputs of a model with several", () => {
    const r = read({ instances: [{ age: 31, city: ["Oslo"] }, { age: 47, city: ["Lima"] }] }, two);
    expect(r.inputs.get("age")).toMatchObject({ shape: [2], data: BigInt64Array.from([31n, 47n]) });
    expect(r.inputs.get("city")).toMatchObject({ shape: [2, 1], data: ["Oslo", "Lima"] });
  });

  it("refuses what is not a V1 request, saying what to send", () => {
    expect(() => read([1, 2], one)).toThrow('request body must be a JSON object: {"instances": [...]}');
    expect(() => read({ rows: [] }, one)).toThrow('the request has no "instances": send {"instances": [row, …]}, one row per instance');
    expect(() => read({ inputs: { x: [[1, 2, 3, 4]] } }, one)).toThrow(/columnar "inputs" form is not supported/);
    expect(() => read({ instances: [] }, one)).toThrow('"instances" is empty: send at least one row');
    expect(() => read({ instances: [{ age: 3 }] }, two)).toThrow("instance 0 has no 'city': this model takes 'age', 'city', so send each instance as an object of them");
    // The V2 reader's own checks and messages apply to what the instances make.
    expect(() => read({ instances: [[1, 2, 3]] }, one)).toThrow(/input 'x'/);
    expect(() => read({ instances: [[1, 2, 3, 4], [1, 2]] }, one)).toThrow(/input 'x'/);
  });
});

describe("KServe V1 requests, arbitrary", () => {
  it("either read or refused with a 400, whatever the JSON", () => {
    const instance = fc.oneof(fc.anything(), fc.array(fc.oneof(fc.double(), fc.string(), fc.array(fc.double()))), fc.dictionary(fc.constantFrom("x", "age", "city", "__proto__"), fc.anything()));
    const body = fc.oneof(fc.anything(), fc.record({ instances: fc.oneof(fc.anything(), fc.array(instance, { maxLength: 5 })) }, { requiredKeys: [] }));
    fc.assert(
      fc.property(body, fc.constantFrom(one, two), (b, signature) => {
        try {
          read(b, signature);
        } catch (e) {
          expect(e).toBeInstanceOf(OipError);
          expect((e as OipError).status).toBe(400);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("KServe V1 answers", () => {
  it("lists one output's rows, or each row's outputs by name", () => {
    const probs = { name: "probs", datatype: "FP32" as const, shape: [2, 2], data: Float32Array.from([0.25, 0.75, 1, 0]) };
    expect(JSON.parse(v1PredictionsText([probs]))).toEqual({ predictions: [[0.25, 0.75], [1, 0]] });
    const label = { name: "label", datatype: "BYTES" as const, shape: [2], data: ["no", 'yes, "really"'] };
    const big = { name: "id", datatype: "INT64" as const, shape: [2, 1], data: BigInt64Array.from([9007199254740993n, -1n]) };
    const text = v1PredictionsText([label, probs, big]);
    expect(text).toContain("9007199254740993");
    expect(JSON.parse(text)).toEqual({
      predictions: [
        { label: "no", probs: [0.25, 0.75], id: [9007199254740992] },
        { label: 'yes, "really"', probs: [1, 0], id: [-1] },
      ],
    });
  });
});
