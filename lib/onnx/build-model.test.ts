import { describe, expect, it } from "vitest";
import * as ort from "onnxruntime-node";
import { V2_DATATYPES, ortFromV2, typedArrayFor, type V2Datatype } from "@/lib/tensor/datatypes";
import { floatToHalf } from "@/lib/oip/float16";
import { buildFailingModel, buildImageModel, buildMlp, buildTwoInOut, buildTypedIdentity, mlpWeights, withOpset } from "./build-model";
import { normalFloats, seededRandom } from "./seeded-random";

const session = (bytes: Uint8Array) => ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
const f32 = (data: Float32Array | number[], dims: number[]) => new ort.Tensor("float32", Float32Array.from(data), dims);

/** The documented recipe, redone independently: w1, b1, w2, b2 drawn in order, each uniform in ±scale. */
function referenceMlp(x: Float32Array, batch: number, n: { inputs: number; hidden: number; outputs: number; seed: number }, softmax = true) {
  const next = seededRandom(n.seed);
  const draw = (count: number, scale: number) => Array.from({ length: count }, () => Math.fround((next() * 2 - 1) * scale));
  const w1 = draw(n.inputs * n.hidden, 1 / Math.sqrt(n.inputs));
  const b1 = draw(n.hidden, 0.1);
  const w2 = draw(n.hidden * n.outputs, 1 / Math.sqrt(n.hidden));
  const b2 = draw(n.outputs, 0.1);
  const out: number[] = [];
  for (let r = 0; r < batch; r++) {
    const h = Array.from({ length: n.hidden }, (_, j) => {
      let s = b1[j];
      for (let i = 0; i < n.inputs; i++) s += x[r * n.inputs + i] * w1[i * n.hidden + j];
      return Math.max(0, s);
    });
    const logits = Array.from({ length: n.outputs }, (_, k) => h.reduce((s, v, j) => s + v * w2[j * n.outputs + k], b2[k]));
    if (!softmax) out.push(...logits);
    else {
      const m = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - m));
      const z = e.reduce((a, b) => a + b, 0);
      out.push(...e.map((v) => v / z));
    }
  }
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: number[], tolerance = 1e-5) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(Math.abs(Number(actual[i]) - v)).toBeLessThan(tolerance));
}

describe("buildMlp", () => {
  it("computes the seeded MLP the reference computes", async () => {
    const dims = { inputs: 32, hidden: 64, outputs: 4, seed: 42 };
    const s = await session(buildMlp(dims));
    const x = normalFloats(seededRandom(7), 5 * 32);
    const { probs } = await s.run({ x: f32(x, [5, 32]) });
    expect(probs.dims).toEqual([5, 4]);
    expectClose(probs.data as Float32Array, referenceMlp(x, 5, dims));
    // A different seed is a different model.
    const other = await (await session(buildMlp({ ...dims, seed: 43 }))).run({ x: f32(x, [5, 32]) });
    expect(Array.from(other.probs.data as Float32Array)).not.toEqual(Array.from(probs.data as Float32Array));
  });

  it("honours names, sizes, softmax: false and a fixed batch", async () => {
    const dims = { inputs: 3, hidden: 5, outputs: 2, seed: 9 };
    const s = await session(buildMlp({ ...dims, inputName: "features", outputName: "logits", softmax: false, dynamicBatch: false }));
    expect(s.inputNames).toEqual(["features"]);
    expect(s.outputNames).toEqual(["logits"]);
    expect(s.inputMetadata[0]).toMatchObject({ shape: [1, 3] });
    const x = Float32Array.from([0.5, -1, 2]);
    const { logits } = await s.run({ features: f32(x, [1, 3]) });
    expectClose(logits.data as Float32Array, referenceMlp(x, 1, dims, false));
    await expect(s.run({ features: f32([...x, ...x], [2, 3]) })).rejects.toThrow();
  });

  it("is deterministic to the byte and exposes its weights", () => {
    expect(buildMlp({ seed: 5 })).toEqual(buildMlp({ seed: 5 }));
    expect(mlpWeights({ seed: 5 }).w1.length).toBe(32 * 64);
  });
});

describe("buildFailingModel", () => {
  it("matches the MLP on ordinary inputs and throws when trunc(x[:,0]) leaves [-8, 7]", async () => {
    const dims = { inputs: 4, hidden: 8, outputs: 3, seed: 3 };
    const s = await session(buildFailingModel(dims));
    const row = (first: number) => [first, 0.25, -0.5, 1];
    for (const first of [0, 7.99, -8.99, 3.5, -0.5]) {
      const { probs } = await s.run({ x: f32(row(first), [1, 4]) });
      expectClose(probs.data as Float32Array, referenceMlp(Float32Array.from(row(first)), 1, dims));
    }
    for (const first of [8, 100, -9, -1e6, Infinity, -Infinity]) {
      await expect(s.run({ x: f32([...row(0), ...row(first)], [2, 4]) }), `x[1,0]=${first}`).rejects.toThrow(/out of (data )?bounds/);
    }
  });

  it("moves the bounds with limit", async () => {
    const s = await session(buildFailingModel({ inputs: 2, hidden: 2, outputs: 2, limit: 2 }));
    await expect(s.run({ x: f32([1.5, 0], [1, 2]) })).resolves.toBeDefined();
    await expect(s.run({ x: f32([2, 0], [1, 2]) })).rejects.toThrow();
  });
});

describe("buildImageModel", () => {
  async function runAndCheck(bytes: Uint8Array, seed: number, shape: number[]) {
    const [b, c, h, w] = shape;
    const image = normalFloats(seededRandom(11), b * c * h * w);
    const { probs } = await (await session(bytes)).run({ image: f32(image, shape) });
    const next = seededRandom(seed);
    const W = Array.from({ length: 6 }, () => Math.fround(next() * 2 - 1));
    const B = Array.from({ length: 2 }, () => Math.fround(next() * 2 - 1));
    const expected: number[] = [];
    for (let n = 0; n < b; n++) {
      const mean = [0, 1, 2].map((ch) => {
        let s = 0;
        for (let i = 0; i < h * w; i++) s += image[(n * c + ch) * h * w + i];
        return s / (h * w);
      });
      const logits = [0, 1].map((k) => B[k] + mean.reduce((s, m, ch) => s + m * W[ch * 2 + k], 0));
      const e = logits.map((l) => Math.exp(l - Math.max(...logits)));
      expected.push(...e.map((v) => v / (e[0] + e[1])));
    }
    expectClose(probs.data as Float32Array, expected);
  }

  it("accepts any batch, height and width", async () => {
    await runAndCheck(buildImageModel({ seed: 4 }), 4, [2, 3, 5, 7]);
    await runAndCheck(buildImageModel({ seed: 4 }), 4, [1, 3, 16, 2]);
  });

  it("still runs at opset 18+, where ReduceMean takes its axes as an input", async () => {
    await runAndCheck(buildImageModel({ seed: 6, opset: 21 }), 6, [1, 3, 4, 4]);
  });
});

describe("buildTwoInOut", () => {
  for (const opset of [11, 17, 21]) {
    it(`computes total and index at opset ${opset}`, async () => {
      const s = await session(buildTwoInOut({ opset }));
      const a = f32([1, 5, 2, 0, -1, -2, -3, -0.5], [2, 4]);
      const b = new ort.Tensor("int64", BigInt64Array.from([3n, 4n, -1n, 10n]), [2, 2]);
      const out = await s.run({ a, b });
      expect(out.total.type).toBe("float32");
      expectClose(out.total.data as Float32Array, [8 + 7, -6.5 + 9]);
      expect(out.index.type).toBe("int64");
      expect(Array.from(out.index.data as BigInt64Array)).toEqual([1n + 7n, 3n + 9n]);
    });
  }
});

const SAMPLES: Record<V2Datatype, unknown[]> = {
  BOOL: [true, false, true, true],
  UINT8: [0, 1, 200, 255],
  UINT16: [0, 1, 40000, 65535],
  UINT32: [0, 1, 3e9, 4294967295],
  UINT64: [0n, 1n, 2n ** 63n, 2n ** 64n - 1n],
  INT8: [-128, -1, 0, 127],
  INT16: [-32768, -1, 0, 32767],
  INT32: [-2147483648, -1, 0, 2147483647],
  INT64: [-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n],
  FP16: [0, 1, -2.5, 65504].map(floatToHalf),
  FP32: [0, -1.5, 3.4e38, 1e-30].map(Math.fround),
  FP64: [0, -1.5, 1e308, Number.MIN_VALUE],
  BYTES: ["", "a", "héllo", "x".repeat(100)],
};

function tensorOf(dt: V2Datatype, values: unknown[], dims: number[]): ort.Tensor {
  if (dt === "BYTES") return new ort.Tensor("string", values as string[], dims);
  if (dt === "BOOL") return new ort.Tensor("bool", Uint8Array.from(values as boolean[], Number), dims);
  const Ctor = typedArrayFor(dt) as unknown as { from(v: unknown[]): ort.Tensor.DataType };
  return new ort.Tensor(ortFromV2(dt), Ctor.from(values) as never, dims);
}

describe("buildTypedIdentity", () => {
  for (const dt of V2_DATATYPES) {
    it(`round-trips ${dt}`, async () => {
      const s = await session(buildTypedIdentity(dt));
      const { y } = await s.run({ x: tensorOf(dt, SAMPLES[dt], [2, 2]) });
      expect(y.type).toBe(ortFromV2(dt));
      expect(y.dims).toEqual([2, 2]);
      const got = Array.from(y.data as ArrayLike<unknown>);
      expect(dt === "BOOL" ? got.map(Boolean) : got).toEqual(SAMPLES[dt]);
    });
  }
});

describe("withOpset", () => {
  it("restamps the default-domain opset", async () => {
    const s = await session(withOpset(buildMlp({ inputs: 2, hidden: 2, outputs: 2 }), 13));
    await expect(s.run({ x: f32([1, 2], [1, 2]) })).resolves.toBeDefined();
  });
});
