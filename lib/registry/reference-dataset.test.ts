import { describe, expect, it } from "vitest";
import { parseReference, parseCsvRows, ReferenceError } from "./parse-reference";
import { checkReference } from "./check-reference";
import { summarizeReferenceTable } from "./summarize-reference-table";
import type { ModelSignature } from "@/lib/tensor/datatypes";

const tabular: ModelSignature = {
  inputs: [{ name: "x", datatype: "FP32", shape: [-1, 3] }],
  outputs: [{ name: "y", datatype: "FP32", shape: [-1, 1] }],
};

describe("reference datasets", () => {
  it("parses quoted CSV", () => {
    expect(parseCsvRows('a,"b ""q"", c"\r\n1,2\n')).toEqual([["a", 'b "q", c'], ["1", "2"]]);
  });

  it("maps CSV columns onto a [batch, N] input and summarizes them", () => {
    const csv = "age,income,score\n" + Array.from({ length: 100 }, (_, i) => `${i},${i * 10},${i % 2 ? "" : 0.5}`).join("\n");
    const t = parseReference(csv);
    const b = checkReference(t, tabular);
    expect(b.map((x) => [x.name, x.input, x.index])).toEqual([["age", "x", 0], ["income", "x", 1], ["score", "x", 2]]);
    const s = summarizeReferenceTable(t, b);
    expect(s.rows).toBe(100);
    expect(s.columns).toBe(3);
    const age = s.features[0];
    expect(age).toMatchObject({ name: "age", input: "x", index: 0, kind: "numeric", n: 100, min: 0, max: 99, mean: 49.5 });
    expect("edges" in age.histogram && age.histogram.counts).toEqual(new Array(10).fill(10));
    expect(s.features[2]).toMatchObject({ name: "score", input: "x", index: 2, n: 50, missing: 50 });
  });

  it("refuses a feature count that does not match the input", () => {
    const t = parseReference("a,b\n1,2\n");
    expect(() => checkReference(t, tabular)).toThrow(/2 columns but input 'x' takes 3 features/);
  });

  it("matches JSON rows to several one-value inputs by name", () => {
    const sig: ModelSignature = {
      inputs: [{ name: "a", datatype: "FP32", shape: [-1, 1] }, { name: "b", datatype: "INT64", shape: [-1] }],
      outputs: [],
    };
    const t = parseReference(JSON.stringify([{ a: 1.5, b: 2 }, { a: 2.5, b: 3 }]));
    expect(checkReference(t, sig).map((x) => x.input)).toEqual(["a", "b"]);
    const wrong = parseReference(JSON.stringify([{ a: 1, c: 2 }]));
    expect(() => checkReference(wrong, sig)).toThrow(/no column for input 'b'; column 'c' match no input/);
  });

  it("refuses images, headerless CSV, ragged rows and text in numeric inputs", () => {
    const image: ModelSignature = { inputs: [{ name: "img", datatype: "FP32", shape: [-1, 3, -1, -1] }], outputs: [] };
    expect(() => checkReference(parseReference("a\n1\n"), image)).toThrow(/tabular/);
    expect(() => parseReference("1,2,3\n4,5,6\n")).toThrow(/header row/);
    expect(() => parseReference("a,b\n1,2,3\n")).toThrow(ReferenceError);
    expect(() => checkReference(parseReference("a,b,c\n1,x,3\n"), tabular)).toThrow(/non-numeric/);
    expect(() => parseReference("[1,2", "json")).toThrow(/not valid JSON/);
  });
});
