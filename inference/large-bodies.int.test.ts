import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ort from "onnxruntime-node";
import { buildMlp } from "@/lib/onnx/build-model";
import { parseInferRequest } from "@/lib/oip/parse-infer-request";
import { startDataPlane, type DataPlane } from "./start-data-plane";
import { addVersion, inferBody, makeInferToken, mlpInput, planeFetch, putEndpointRow, quietLogger, unique } from "./data-plane-test-kit";
import { LIMITS } from "./handle-infer";

// JSON bodies from parseOffloadBytes up are parsed by the parse worker (body-parser.ts): the answers and refusals
// must be exactly those of the HTTP thread's own parse, and the HTTP thread must keep turning meanwhile.

let plane: DataPlane;
let token: string;
const model = unique("big");
const plain = unique("big-ep");
const ruled = unique("big-ruled-ep");
let direct: ort.InferenceSession;

beforeAll(async () => {
  await addVersion(model, buildMlp({ seed: 5 }));
  await addVersion(model, buildMlp({ seed: 6 }));
  await putEndpointRow(plain, { model, variants: [{ name: "main", version: 1, weight: 1 }] });
  await putEndpointRow(ruled, {
    model,
    variants: [{ name: "stable", version: 1, weight: 1 }, { name: "beta", version: 2, weight: 0 }],
    rules: [{ parameter: "tier", equals: "gold", variant: "beta" }],
  });
  token = (await makeInferToken()).secret;
  direct = await ort.InferenceSession.create(buildMlp({ seed: 5 }));
  // 16 KiB: every body of a few hundred rows goes to the worker.
  plane = await startDataPlane({ logger: quietLogger, shutdownGraceMs: 50, host: "127.0.0.1", port: 0, workers: 1, maxRequestBytes: 128 * 1024 * 1024, parseOffloadBytes: 16 * 1024, databaseUrl: null });
});

afterAll(async () => {
  await plane?.close();
  await direct?.release();
});

const post = (endpoint: string, body: string) => planeFetch(plane.port, `/v2/models/${endpoint}/infer`, { method: "POST", token, body });

describe("large JSON bodies (parsed by the parse worker)", () => {
  it("answers as onnxruntime does, with the id, and selected outputs", async () => {
    const rows = mlpInput(400, 1);
    const res = await post(plain, inferBody([{ name: "x", datatype: "FP32", shape: [400, 32], data: rows }], { id: "big-1", outputs: [{ name: "probs" }] }));
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.id).toBe("big-1");
    const out = await direct.run({ x: new ort.Tensor("float32", Float32Array.from(rows), [400, 32]) });
    expect(res.json.outputs).toEqual([{ name: "probs", datatype: "FP32", shape: [400, 4], data: Array.from(out.probs.data as Float32Array) }]);
  });

  it("reads a large KServe V1 body in the worker too, with the HTTP thread's answers and refusals", async () => {
    const jobs = plane.internals.bodies.jobs;
    const rows = mlpInput(400, 4);
    const instances = Array.from({ length: 400 }, (_, r) => rows.slice(r * 32, (r + 1) * 32));
    const predict = (body: string) => planeFetch(plane.port, `/v1/models/${plain}:predict`, { method: "POST", token, body });
    const res = await predict(JSON.stringify({ instances }));
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const out = await direct.run({ x: new ort.Tensor("float32", Float32Array.from(rows), [400, 32]) });
    const probs = Array.from(out.probs.data as Float32Array);
    expect(res.json.predictions).toEqual(instances.map((_, r) => probs.slice(r * 4, (r + 1) * 4)));
    const ragged = await predict(JSON.stringify({ instances: [...instances.slice(1), [1, 2]] }));
    expect(ragged.status).toBe(400);
    expect(ragged.json.error).toMatch(/^input 'x'/);
    expect((await predict(`${JSON.stringify({ instances })}}`)).json).toEqual({ error: 'request body is not valid JSON: send {"instances": [row, …]}' });
    expect(plane.internals.bodies.jobs).toBe(jobs + 3);
  });

  it("routes by the parameters in the body, as for a small one", async () => {
    const body = (tier: string) => inferBody([{ name: "x", datatype: "FP32", shape: [400, 32], data: mlpInput(400, 2) }], { parameters: { tier } });
    expect((await post(ruled, body("gold"))).headers.get("x-ferry-version")).toBe("2");
    expect((await post(ruled, body("silver"))).headers.get("x-ferry-version")).toBe("1");
  });

  it("reads a body whose JSON is large before binary tensors, and one that asks for binary answers, in the worker", async () => {
    const jobs = plane.internals.bodies.jobs;
    const rows = mlpInput(300, 9);
    const out = await direct.run({ x: new ort.Tensor("float32", Float32Array.from(rows), [300, 32]) });
    const want = Array.from(out.probs.data as Float32Array);
    // tritonclient's layout: JSON (here with a large parameter), then the tensor's bytes.
    const header = Buffer.from(JSON.stringify({ parameters: { note: "n".repeat(20_000) }, inputs: [{ name: "x", datatype: "FP32", shape: [300, 32], parameters: { binary_data_size: 300 * 32 * 4 } }] }));
    const binary = await planeFetch(plane.port, `/v2/models/${plain}/infer`, {
      method: "POST",
      token,
      body: Buffer.concat([header, Buffer.from(Float32Array.from(rows).buffer)]),
      headers: { "inference-header-content-length": String(header.length) },
    });
    expect(binary.status, binary.bytes.toString().slice(0, 200)).toBe(200);
    expect(binary.json.outputs[0].data).toEqual(want);
    // JSON inputs with binary answers asked for: the header names the whole body.
    const json = Buffer.from(inferBody([{ name: "x", datatype: "FP32", shape: [300, 32], data: rows }], { parameters: { binary_data_output: true } }));
    const answer = await planeFetch(plane.port, `/v2/models/${plain}/infer`, { method: "POST", token, body: json, headers: { "inference-header-content-length": String(json.length) } });
    expect(answer.status).toBe(200);
    const jsonLength = Number(answer.headers.get("inference-header-content-length"));
    const tail = answer.bytes.subarray(jsonLength);
    expect(Array.from(new Float32Array(tail.buffer.slice(tail.byteOffset, tail.byteOffset + tail.length)))).toEqual(want);
    expect(plane.internals.bodies.jobs).toBe(jobs + 2);
  });

  it.each([
    ["an element short", inferBody([{ name: "x", datatype: "FP32", shape: [400, 32], data: mlpInput(400, 3).slice(1) }]), "input 'x': expected 12800 elements for shape [400,32], got 12799"],
    ["a string among the numbers", inferBody([{ name: "x", datatype: "FP32", shape: [400, 32], data: [...mlpInput(400, 3).slice(1), "1"] }]), "input 'x': element 12799 is not a number"],
    ["not JSON", `${inferBody([{ name: "x", datatype: "FP32", shape: [400, 32], data: mlpInput(400, 3) }])}}`, "request body is not valid JSON"],
    ["an unknown input", inferBody([{ name: "z", datatype: "FP32", shape: [400, 32], data: mlpInput(400, 3) }]), "input 'z' is not an input of the model (expected inputs: x)"],
  ])("refuses %s with the HTTP thread's own message", async (_case, body, message) => {
    const res = await post(plain, body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: message });
  });

  it("keeps the HTTP thread turning while it parses a body that would hold it for a while", async () => {
    const n = 50_000;
    const body = Buffer.from(inferBody([{ name: "x", datatype: "FP32", shape: [n, 32], data: mlpInput(n, 4) }]));
    // What parsing this body costs a thread on this machine, the HTTP thread included (this test runs on it).
    const t0 = performance.now();
    parseInferRequest(body, {}, { inputs: [{ name: "x", datatype: "FP32", shape: [-1, 32] }], outputs: [] }, LIMITS);
    const parseMs = performance.now() - t0;
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const res = await planeFetch(plane.port, `/v2/models/${plain}/infer`, { method: "POST", token, body });
    delay.disable();
    expect(res.status).toBe(200);
    expect(res.json.outputs[0].shape).toEqual([n, 4]);
    // The longest the thread was held stays well under what the parse alone would have held it.
    expect(delay.max / 1e6, `parse ${parseMs.toFixed(0)} ms, longest hold ${(delay.max / 1e6).toFixed(0)} ms`).toBeLessThan(parseMs / 2);
  });
});
