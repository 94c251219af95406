import { describe, expect, it } from "vitest";
import { V2_DATATYPES, onnxFromV2, ortFromV2, v2FromOnnx, v2FromOrt, isV2Datatype } from "./datatypes";

describe("datatypes", () => {
  it("round-trips every V2 datatype through ONNX and onnxruntime names", () => {
    for (const dt of V2_DATATYPES) {
      expect(v2FromOnnx(onnxFromV2(dt))).toBe(dt);
      expect(v2FromOrt(ortFromV2(dt))).toBe(dt);
    }
  });
  it("has no V2 datatype for complex or bfloat16", () => {
    expect(v2FromOnnx(14)).toBeUndefined();
    expect(v2FromOnnx(16)).toBeUndefined();
    expect(isV2Datatype("FLOAT")).toBe(false);
  });
});
