import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { ModelSignature } from "@/lib/tensor/datatypes";
import { attachLabels, classCount, MAX_LABEL_CHARS, parseLabelFile } from "./class-labels";

function refusal(text: string): string {
  try {
    parseLabelFile(text);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("bad_request");
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(text)}`);
}

const classifier: ModelSignature = {
  inputs: [{ name: "x", datatype: "FP32", shape: [-1, 8] }],
  outputs: [{ name: "probs", datatype: "FP32", shape: [-1, 3] }],
};

describe("parseLabelFile", () => {
  it("reads Triton's label file: one label per line, class 0 first, CRLF or LF, a final newline or none", () => {
    expect(parseLabelFile("approve\nreview\ndecline\n")).toEqual({ lines: ["approve", "review", "decline"] });
    expect(parseLabelFile("\uFEFFa b\r\n c \r\nd")).toEqual({ lines: ["a b", "c", "d"] });
  });

  it("keeps any list of printable labels as it was written, in order", () => {
    const label = fc.string({ minLength: 1, maxLength: 40 }).map((s) => s.replace(/[\u0000-\u001f\u007f]/g, "").trim()).filter((s) => s !== "" && !s.startsWith("{"));
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 30 }), (labels) => {
        expect(parseLabelFile(`${labels.join("\n")}\n`)).toEqual({ lines: labels });
      }),
    );
  });

  it("reads a JSON object of label lists by output name", () => {
    expect(parseLabelFile('{"probs": ["a", "b"], "__proto__": ["c"]}')).toEqual({ byOutput: JSON.parse('{"probs": ["a", "b"], "__proto__": ["c"]}') });
  });

  it("refuses what cannot be a label file, saying what to write instead", () => {
    expect(refusal(" \n\n")).toBe("the labels file is empty; write one label per line (class 0 first), or a JSON object of label lists by output name");
    expect(refusal("a\n\nc\n")).toBe("line 2 of the labels file is empty: every class needs a label, in class order");
    expect(refusal(`a\n${"x".repeat(MAX_LABEL_CHARS + 1)}`)).toBe(`line 2 of the labels file is ${MAX_LABEL_CHARS + 1} characters long; at most ${MAX_LABEL_CHARS}`);
    expect(refusal("a\tb\n")).toBe("line 1 of the labels file holds a control character");
    expect(refusal('{"probs": ["a",')).toMatch(/^the labels file starts with '\{' but is not valid JSON/);
    expect(refusal('{"probs": "a"}')).toBe("the labels of output 'probs' must be a list of strings");
    expect(refusal('{"probs": []}')).toMatch(/^the labels file lists no labels/);
    expect(refusal("{}")).toMatch(/^the labels file names no output/);
  });
});

describe("attachLabels", () => {
  it("gives a plain list to the model's only score output", () => {
    expect(attachLabels({ lines: ["a", "b", "c"] }, classifier)).toEqual({ labels: { probs: ["a", "b", "c"] } });
  });

  it("gives a plain list to the one output with as many classes when there are several", () => {
    const two: ModelSignature = { ...classifier, outputs: [{ name: "label", datatype: "INT64", shape: [-1] }, { name: "scores", datatype: "FP32", shape: [-1, 2] }, { name: "name", datatype: "BYTES", shape: [-1] }] };
    expect(attachLabels({ lines: ["no", "yes"] }, two)).toEqual({ labels: { scores: ["no", "yes"] } });
  });

  it("refuses a count that differs from the output's classes, and a list no single output can take", () => {
    expect(attachLabels({ lines: ["a", "b"] }, classifier)).toEqual({ problem: "output 'probs' has 3 classes (shape [-1,3]) but the labels file gives it 2 labels" });
    const twins: ModelSignature = { ...classifier, outputs: [{ name: "a", datatype: "FP32", shape: [-1, 2] }, { name: "b", datatype: "FP32", shape: [-1, 2] }] };
    expect(attachLabels({ lines: ["x", "y"] }, twins)).toEqual({
      problem: `the labels file has 2 lines and more than one output of the model has 2 classes; upload a JSON labels file naming the output ({"<output>": ["label", …]}) (numeric outputs: 'a' [-1,2], 'b' [-1,2])`,
    });
    expect(attachLabels({ byOutput: { b: ["x", "y"] } }, twins)).toEqual({ labels: { b: ["x", "y"] } });
  });

  it("refuses labels for an output the model does not have, or one that holds no scores", () => {
    expect(attachLabels({ byOutput: { prob: ["a", "b", "c"] } }, classifier)).toEqual({ problem: "the labels file names output 'prob', which the model does not have (numeric outputs: 'probs' [-1,3])" });
    const named: ModelSignature = { ...classifier, outputs: [...classifier.outputs, { name: "names", datatype: "BYTES", shape: [-1] }] };
    expect(attachLabels({ byOutput: { names: ["a"] } }, named)).toEqual({ problem: "output 'names' is BYTES: labels belong to an output of class scores" });
  });

  it("counts a row's classes after the batch axis, and takes any count when they are dynamic", () => {
    expect(classCount({ name: "y", datatype: "FP32", shape: [-1, 2, 5] })).toBe(10);
    expect(classCount({ name: "y", datatype: "FP32", shape: [1, 4] })).toBe(4);
    expect(classCount({ name: "y", datatype: "FP32", shape: [-1, -1] })).toBeUndefined();
    const dynamic: ModelSignature = { ...classifier, outputs: [{ name: "y", datatype: "FP32", shape: [-1, -1] }] };
    expect(attachLabels({ lines: ["a", "b", "c", "d"] }, dynamic)).toEqual({ labels: { y: ["a", "b", "c", "d"] } });
  });
});
