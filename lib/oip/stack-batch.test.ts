import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { V2_DATATYPES, typedArrayFor, type V2Datatype } from "@/lib/tensor/datatypes";
import type { OipTensor, TensorData } from "./oip-tensor";
import { encodeJsonData, encodeJsonRows } from "./encode-json-data";
import { batchKey, canBatch, rowCountOf, sameLayout, splitOutputs, stackInputs, stackRows } from "./stack-batch";
import { signature } from "./test-support";

type Ctor = new (values: ArrayLike<number> | ArrayLike<bigint>) => Exclude<TensorData, string[]>;

function makeData(datatype: V2Datatype, values: number[]): TensorData {
  if (datatype === "BYTES") return values.map((v) => `s${v}`);
  const ctor = typedArrayFor(datatype) as unknown as Ctor;
  if (datatype === "INT64" || datatype === "UINT64") return new ctor(values.map((v) => BigInt(Math.abs(v))));
  return new ctor(values.map((v) => Math.abs(v) % (datatype === "BOOL" ? 2 : 100)));
}

/** One request: `rows` rows of each input, with a fixed row size per input. */
const requestArb = (specs: { name: string; datatype: V2Datatype; rowShape: number[] }[]) =>
  fc.integer({ min: 1, max: 5 }).chain((rows) =>
    fc.tuple(
      ...specs.map((s) => {
        const size = rows * s.rowShape.reduce((a, b) => a * b, 1);
        return fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: size, maxLength: size }).map(
          (values): [string, OipTensor] => [s.name, { datatype: s.datatype, shape: [rows, ...s.rowShape], data: makeData(s.datatype, values) }],
        );
      }),
    ).map((entries) => new Map(entries)),
  );

describe("stackInputs / splitOutputs", () => {
  it.each(V2_DATATYPES)("split(stack(x)) == x for %s", (datatype) => {
    const specs = [
      { name: "a", datatype, rowShape: [3] },
      { name: "b", datatype: "FP32" as V2Datatype, rowShape: [2, 2] },
    ];
    const sig = signature(specs.map((s) => ({ name: s.name, datatype: s.datatype, shape: [-1, ...s.rowShape] })));
    fc.assert(
      fc.property(fc.array(requestArb(specs), { minLength: 1, maxLength: 6 }), (requests) => {
        const { inputs, rowCounts } = stackInputs(requests, sig);
        expect(rowCounts).toEqual(requests.map(rowCountOf));
        const total = rowCounts.reduce((a, b) => a + b, 0);
        expect(inputs.get("a")!.shape).toEqual([total, 3]);
        expect(inputs.get("a")!.data.length).toBe(total * 3);
        // The model's outputs here are its inputs, which is all a split needs to be checked against.
        expect(splitOutputs(inputs, rowCounts)).toEqual(requests);
      }),
      { numRuns: 60 },
    );
  });

  it.each(V2_DATATYPES.filter((d) => d !== "BYTES"))("splits an output's JSON text (written with its row ends) into each caller's, for %s", (datatype) => {
    const floats = datatype === "FP32" || datatype === "FP64";
    const value = floats ? fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0)) : fc.integer({ min: -1000, max: 1000 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }), fc.infiniteStream(value), (perRow, rowCounts, values) => {
        const total = rowCounts.reduce((a, b) => a + b, 0);
        const taken = [...values.take(total * perRow)] as number[];
        const data = floats ? (datatype === "FP32" ? Float32Array.from(taken) : Float64Array.from(taken)) : makeData(datatype, taken);
        const typed = data as Exclude<TensorData, string[]>;
        const output: OipTensor = { datatype, shape: [total, perRow], data, json: encodeJsonRows(datatype, typed, total) };
        expect(output.json!.text).toBe(encodeJsonData(datatype, data));
        const parts = splitOutputs(new Map([["y", output]]), rowCounts).map((m) => m.get("y")!);
        for (const part of parts) expect(part.json?.text).toBe(encodeJsonData(datatype, part.data));
      }),
      { numRuns: 60 },
    );
  });

  it("keeps each caller's rows in order", () => {
    const t = (rows: number[][]): Map<string, OipTensor> =>
      new Map([["x", { datatype: "INT32", shape: [rows.length, 2], data: new Int32Array(rows.flat()) }]]);
    const sig = signature([{ name: "x", datatype: "INT32", shape: [-1, 2] }]);
    const { inputs, rowCounts } = stackInputs([t([[1, 2]]), t([[3, 4], [5, 6]]), t([[7, 8]])], sig);
    expect(rowCounts).toEqual([1, 2, 1]);
    expect(inputs.get("x")).toEqual({ datatype: "INT32", shape: [4, 2], data: new Int32Array([1, 2, 3, 4, 5, 6, 7, 8]) });
    const outputs = new Map<string, OipTensor>([["y", { datatype: "FP64", shape: [4], data: new Float64Array([10, 20, 30, 40]) }]]);
    expect(splitOutputs(outputs, rowCounts).map((m) => [...(m.get("y")!.data as Float64Array)])).toEqual([[10], [20, 30], [40]]);
  });

  it("passes a lone request through untouched", () => {
    const req = new Map<string, OipTensor>([["x", { datatype: "FP32", shape: [2, 1], data: new Float32Array([1, 2]) }]]);
    const sig = signature([{ name: "x", datatype: "FP32", shape: [-1, 1] }]);
    expect(stackInputs([req], sig).inputs).toBe(req);
  });

  it("keys requests by names, datatypes and non-batch dimensions only", () => {
    const req = (rows: number, cols: number, datatype: V2Datatype = "FP32") =>
      new Map<string, OipTensor>([["x", { datatype, shape: [rows, cols], data: new Float32Array(rows * cols) }]]);
    expect(batchKey(req(1, 4))).toBe(batchKey(req(7, 4)));
    expect(batchKey(req(1, 4))).not.toBe(batchKey(req(1, 5)));
    expect(batchKey(req(1, 4))).not.toBe(batchKey(req(1, 4, "FP64")));
    const sig = signature([{ name: "x", datatype: "FP32", shape: [-1, -1] }]);
    expect(() => stackInputs([req(1, 4), req(1, 5)], sig)).toThrow("different batch keys");
  });

  it("sameLayout agrees with comparing batch keys", () => {
    // Few names, datatypes and dimensions, so that equal layouts come up often; [n,2,3], [n,6] and [n,23] differ.
    const tensorArb = fc.record({
      datatype: fc.constantFrom<V2Datatype>("FP32", "INT64"),
      rows: fc.integer({ min: 1, max: 3 }),
      dims: fc.array(fc.constantFrom(2, 3, 6, 23), { maxLength: 2 }),
    });
    const requestArb = fc.dictionary(fc.constantFrom("a", "b", "c"), tensorArb, { minKeys: 1, maxKeys: 3 }).map(
      (d) => new Map(Object.entries(d).map(([name, t]): [string, OipTensor] => [name, { datatype: t.datatype, shape: [t.rows, ...t.dims], data: new Float32Array(0) }])),
    );
    fc.assert(
      fc.property(requestArb, requestArb, (a, b) => {
        expect(sameLayout(a, b)).toBe(batchKey(a) === batchKey(b));
      }),
      { numRuns: 500 },
    );
  });

  it("stackRows concatenates the named tensors along axis 0 in request order", () => {
    const req = (rows: number[][]) => new Map<string, OipTensor>([["x", { datatype: "INT32", shape: [rows.length, 2], data: Int32Array.from(rows.flat()) }]]);
    const stacked = stackRows([req([[1, 2]]), req([[3, 4], [5, 6]])], ["x"]).get("x")!;
    expect(stacked.shape).toEqual([3, 2]);
    expect(Array.from(stacked.data as Int32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("refuses outputs without the batch's rows", () => {
    const outputs = new Map<string, OipTensor>([["y", { datatype: "FP32", shape: [3], data: new Float32Array(3) }]]);
    expect(() => splitOutputs(outputs, [1, 1])).toThrow("output 'y' has shape [3], expected 2 rows along axis 0");
  });

  it("tells which models can be batched", () => {
    expect(canBatch(signature([{ name: "x", datatype: "FP32", shape: [-1, 32] }], [{ name: "y", datatype: "FP32", shape: [-1, 4] }]))).toBe(true);
    expect(canBatch(signature([{ name: "x", datatype: "FP32", shape: [1, 32] }], [{ name: "y", datatype: "FP32", shape: [-1, 4] }]))).toBe(false);
    expect(canBatch(signature([{ name: "x", datatype: "FP32", shape: [-1, 32] }], [{ name: "y", datatype: "FP32", shape: [] }]))).toBe(false);
  });
});
