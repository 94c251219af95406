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
