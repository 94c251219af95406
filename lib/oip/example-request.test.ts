import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { V2_DATATYPES, type ModelSignature, type TensorSpec } from "@/lib/tensor/datatypes";
import { exampleInferRequest, filledData } from "./example-request";
import { parseInferRequest } from "./parse-infer-request";

const LIMITS = { maxElements: 1 << 27, maxDims: 16 };

function accepted(inputs: TensorSpec[]) {
  const signature: ModelSignature = { inputs, outputs: [{ name: "y", datatype: "FP32", shape: [-1, 1] }] };
  const body = Buffer.from(JSON.stringify(exampleInferRequest(inputs)));
  return parseInferRequest(body, { contentType: "application/json" }, signature, LIMITS);
}

describe("exampleInferRequest", () => {
  it("is a request the data plane's parser accepts, for every datatype and any mix of fixed and dynamic dimensions", () => {
    const spec = fc.record({
      name: fc.string({ minLength: 1, maxLength: 8 }),
      datatype: fc.constantFrom(...V2_DATATYPES),
      shape: fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(spec, { selector: (s) => s.name, minLength: 1, maxLength: 3 }), (inputs) => {
        const parsed = accepted(inputs);
        for (const i of inputs) {
          const t = parsed.inputs.get(i.name)!;
          expect(t.shape).toEqual(i.shape.map((d) => (d < 0 ? 1 : d)));
          expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("fills one row of neutral values", () => {
    const { inputs } = exampleInferRequest([
      { name: "x", datatype: "FP32", shape: [-1, 3] },
      { name: "mask", datatype: "BOOL", shape: [-1, 2] },
      { name: "text", datatype: "BYTES", shape: [-1] },
    ]);
    expect(inputs.map((i) => [i.name, i.shape, i.data])).toEqual([
      ["x", [1, 3], [0, 0, 0]],
      ["mask", [1, 2], [false, false]],
      ["text", [1], ["a"]],
    ]);
  });
});

describe("filledData (Try it's fill for inputs too large to type)", () => {
  it("fills any datatype with values the data plane's parser accepts, neutral or random", () => {
    fc.assert(
      fc.property(fc.constantFrom(...V2_DATATYPES), fc.integer({ min: 1, max: 600 }), fc.constantFrom("zeros" as const, "random" as const), fc.integer(), (datatype, count, fill, seed) => {
        let state = seed;
        const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
        const signature: ModelSignature = { inputs: [{ name: "x", datatype, shape: [-1, count] }], outputs: [{ name: "y", datatype: "FP32", shape: [-1, 1] }] };
        const data = filledData(datatype, count, fill, random);
        const body = Buffer.from(JSON.stringify({ inputs: [{ name: "x", datatype, shape: [1, count], data }] }));
        expect(parseInferRequest(body, {}, signature, LIMITS).inputs.get("x")!.data.length).toBe(count);
      }),
      { numRuns: 300 },
    );
  });

  it("draws floats in [0, 1), integers 0–9, and neutral values for zeros", () => {
    const values = [0, 0.25, 0.999999];
    const from = () => { let i = 0; return () => values[i++ % values.length]; };
    expect(filledData("FP32", 3, "random", from())).toEqual([0, 0.25, 0.9999]);
    expect(filledData("INT8", 3, "random", from())).toEqual([0, 2, 9]);
    expect(filledData("BOOL", 3, "random", from())).toEqual([true, true, false]);
    expect(filledData("BYTES", 3, "random", from())).toEqual(["a", "g", "z"]);
    expect(filledData("UINT8", 2, "zeros")).toEqual([0, 0]);
  });
});
