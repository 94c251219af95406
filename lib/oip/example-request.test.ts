import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { V2_DATATYPES, type ModelSignature, type TensorSpec } from "@/lib/tensor/datatypes";
import { exampleInferRequest } from "./example-request";
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
