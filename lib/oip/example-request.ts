/**
 * A request every model with these inputs accepts, for examples and forms: dynamic dimensions become 1 and every
 * element is a neutral value (0, false for BOOL, "a" for BYTES). Pure.
 */
import type { TensorSpec, V2Datatype } from "@/lib/tensor/datatypes";

export interface ExampleInput {
  name: string;
  datatype: V2Datatype;
  shape: number[];
  data: (number | boolean | string)[];
}

/** The shape with each dynamic dimension (-1) as 1: one row. */
export function concreteShape(shape: readonly number[]): number[] {
  return shape.map((d) => (d < 0 ? 1 : d));
}

/** Elements in a tensor of this signature shape, dynamic dimensions counted as 1. */
export function exampleElementCount(shape: readonly number[]): number {
  return concreteShape(shape).reduce((a, b) => a * b, 1);
}

/** Above this many elements, an input is not written out for a person: Try it fills it, a version's curl reads a file. */
export const MANY_ELEMENTS = 256;

/** How Try it fills an input too large to type: every element neutral, random, or the values pasted. */
export type InputFill = "zeros" | "random" | "values";

/**
 * `count` elements of `datatype` for an input filled rather than typed: neutral ones, or random ones — uniform in
 * [0, 1) for floats (what normalized features and pixels look like), 0–9 for integers, either for BOOL, a letter for
 * BYTES.
 */
export function filledData(datatype: V2Datatype, count: number, fill: "zeros" | "random", random: () => number = Math.random): (number | boolean | string)[] {
  if (fill === "zeros") return new Array(count).fill(neutralValue(datatype));
  const one = (): number | boolean | string => {
    const u = random();
    if (datatype === "BOOL") return u < 0.5;
    if (datatype === "BYTES") return String.fromCharCode(97 + Math.floor(u * 26));
    if (datatype === "FP16" || datatype === "FP32" || datatype === "FP64") return Math.floor(u * 1e4) / 1e4;
    return Math.floor(u * 10);
  };
  return Array.from({ length: count }, one);
}

export function neutralValue(datatype: V2Datatype): number | boolean | string {
  return datatype === "BYTES" ? "a" : datatype === "BOOL" ? false : 0;
}

export function exampleInferRequest(inputs: readonly TensorSpec[]): { inputs: ExampleInput[] } {
  return {
    inputs: inputs.map((i) => ({
      name: i.name,
      datatype: i.datatype,
      shape: concreteShape(i.shape),
      data: new Array(exampleElementCount(i.shape)).fill(neutralValue(i.datatype)),
    })),
  };
}
