import { describe, expect, it } from "vitest";
import { loggedTensorsOf, loggedValues, MAX_LOGGED_ELEMENTS, toLoggedTensors } from "./logged-tensors";

// Every datatype's round trip is in codec-round-trip.test.ts; here what is particular to the log.
describe("logged tensors", () => {
  it("keeps the first MAX_LOGGED_ELEMENTS elements and the whole shape, and says it cut", () => {
    const data = Float32Array.from({ length: 64 * 32 }, (_, i) => i / 8 - 100);
    const { x } = toLoggedTensors(new Map([["x", { datatype: "FP32" as const, shape: [64, 32], data }]]));
    expect(x).toMatchObject({ datatype: "FP32", shape: [64, 32], truncated: true });
    expect(x.data).toBeUndefined();
    expect(loggedValues(x)).toEqual(Array.from(data.subarray(0, MAX_LOGGED_ELEMENTS)));
    const words = Array.from({ length: MAX_LOGGED_ELEMENTS + 1 }, (_, i) => `w${i}`);
    const { s } = toLoggedTensors(new Map([["s", { datatype: "BYTES" as const, shape: [words.length], data: words }]]));
    expect(s).toEqual({ datatype: "BYTES", shape: [words.length], data: words.slice(0, MAX_LOGGED_ELEMENTS), truncated: true });
  });

  it("logs a view by its own elements, not the buffer under it", () => {
    // A request's rows split out of a batch are subarrays of the batch's output.
    const batch = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const { y } = toLoggedTensors(new Map([["y", { datatype: "FP64" as const, shape: [1, 2], data: batch.subarray(2, 4) }]]));
    expect(loggedValues(y)).toEqual([3, 4]);
  });

  it("reads rows logged before as JSON numbers, and skips what does not decode", () => {
    const old = { probs: { datatype: "FP32", shape: [1, 2], data: [0.25, 0.75] }, note: "not a tensor" };
    expect(loggedTensorsOf(old).map(loggedValues)).toEqual([[0.25, 0.75]]);
    expect(loggedValues({ datatype: "FP32", shape: [1], raw: Buffer.from([1, 2, 3]).toString("base64") })).toBeUndefined();
    expect(loggedValues({ datatype: "BOOL", shape: [1], raw: Buffer.from([7]).toString("base64") })).toBeUndefined();
    expect(loggedValues({ datatype: "NOPE", shape: [1], raw: "AAAA" })).toBeUndefined();
    expect(loggedTensorsOf(null)).toEqual([]);
    expect(loggedTensorsOf([1, 2])).toEqual([]);
  });
});
