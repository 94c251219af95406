import http2 from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as grpc from "@grpc/grpc-js";
import * as ort from "onnxruntime-node";
import { buildMlp, buildTwoInOut, buildTypedIdentity } from "@/lib/onnx/build-model";
import { floatToHalf } from "@/lib/oip/float16";
import { startDataPlane, type DataPlane } from "../start-data-plane";
import { addVersion, makeInferToken, metricSum, mlpInput, planeFetch, putEndpointRow, quietLogger, unique, waitFor } from "../data-plane-test-kit";
import { startGrpcServer } from "./grpc-server";
import { grpcService } from "./grpc-service";
import { grpcTestClient, type GrpcCall, type GrpcStream } from "./grpc-test-client";

let plane: DataPlane;
let client: ReturnType<typeof grpcTestClient>;
let call: GrpcCall;
let stream: GrpcStream;
let token: string;
const mlpModel = unique("gmlp");
const mlp = unique("gmlp-ep");
const two = unique("gtwo-ep");
const limited = unique("glimited-ep");
const routed = unique("grouted-ep");
const slowModel = unique("gslow");
const slow = unique("gslow-ep");
const idents: Record<string, string> = {};
let direct: ort.InferenceSession;

beforeAll(async () => {
  await addVersion(mlpModel, buildMlp({ seed: 3 }), { alias: "production" });
  await putEndpointRow(mlp, { model: mlpModel, variants: [{ name: "main", alias: "production", weight: 1 }] });
  await putEndpointRow(limited, { model: mlpModel, variants: [{ name: "main", version: 1, weight: 1 }], limits: { rateLimitPerSecond: 1 } });
  // ~4M multiply-adds per row: a 50-row run takes milliseconds, so calls sent together queue behind one another.
  await addVersion(slowModel, buildMlp({ inputs: 32, hidden: 120_000, outputs: 4, seed: 2 }));
  await putEndpointRow(slow, { model: slowModel, variants: [{ name: "main", version: 1, weight: 1 }], batching: { maxBatchSize: 1, maxQueueDelayMs: 0 } });
  const routedModel = unique("grouted");
  await addVersion(routedModel, buildMlp({ seed: 3 }), { labels: { probs: ["north", "east", "south", "west"] } });
  await addVersion(routedModel, buildMlp({ seed: 4 }));
  await putEndpointRow(routed, {
    model: routedModel,
    variants: [{ name: "stable", version: 1, weight: 1 }, { name: "beta", version: 2, weight: 0 }],
    rules: [{ header: "x-segment", equals: "beta", variant: "beta" }, { parameter: "tier", equals: "gold", variant: "beta" }],
  });
  const twoModel = unique("gtwo");
  await addVersion(twoModel, buildTwoInOut());
  await putEndpointRow(two, { model: twoModel, variants: [{ name: "main", version: 1, weight: 1 }] });
  for (const dt of ["INT64", "BOOL", "FP16", "BYTES"]) {
    const model = unique(`gid-${dt.toLowerCase()}`);
    await addVersion(model, buildTypedIdentity(dt as "INT64"));
    idents[dt] = unique(`gid-ep-${dt.toLowerCase()}`);
    await putEndpointRow(idents[dt], { model, variants: [{ name: "main", version: 1, weight: 1 }] });
  }
  token = (await makeInferToken()).secret;
  direct = await ort.InferenceSession.create(buildMlp({ seed: 3 }));
  // Messages of 16 KiB and more with typed contents are decoded by the parse worker.
  plane = await startDataPlane({ logger: quietLogger, shutdownGraceMs: 100, host: "127.0.0.1", port: 0, grpcPort: 0, workers: 1, maxRequestBytes: 64 * 1024, parseOffloadBytes: 16 * 1024, databaseUrl: null });
  client = grpcTestClient(plane.grpcPort!);
  call = client.call;
  stream = client.stream;
});

afterAll(async () => {
  client?.close();
  await plane?.close();
  await direct?.release();
});

/** The MLP's probabilities for these rows, from onnxruntime called directly. */
async function expected(rows: number[], n: number): Promise<number[]> {
  const out = await direct.run({ x: new ort.Tensor("float32", Float32Array.from(rows), [n, 32]) });
  return Array.from(out.probs.data as Float32Array);
}

const floats = (b: Buffer) => Array.from(new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
const fp32Raw = (values: number[]) => Buffer.from(Float32Array.from(values).buffer);

describe("gRPC: server calls", () => {
  it("answers liveness, readiness and server metadata without a token", async () => {
    expect((await call("ServerLive", {})).res).toEqual({ live: true });
    expect((await call("ServerReady", {})).res).toEqual({ ready: true });
    const meta = await call("ServerMetadata", {});
    expect(meta.res.name).toBe("ferry");
    expect(meta.res.extensions).toContain("binary_tensor_data");
    // gRPC's standard health check (Kubernetes' gRPC probes, grpc_health_probe), for the server and the inference service.
    expect((await call("Health.Check", { service: "" })).res).toEqual({ status: "SERVING" });
    expect((await call("Health.Check", { service: "inference.GRPCInferenceService" })).res).toEqual({ status: "SERVING" });
    expect((await call("Health.Check", { service: "other.Service" })).code).toBe(grpc.status.NOT_FOUND);
  });

  it("describes a model and its readiness to a token with the infer scope, and refuses without one", async () => {
    const none = await call("ModelMetadata", { name: mlp });
    expect(none.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(none.details).toBe("missing bearer token (send 'authorization: Bearer <token>' in the call's metadata)");
    const meta = await call("ModelMetadata", { name: mlp }, { token });
    expect(meta.code).toBe(grpc.status.OK);
    expect(meta.res).toEqual({
      name: mlp,
      versions: ["1"],
      platform: "onnxruntime_onnx",
      inputs: [{ name: "x", datatype: "FP32", shape: ["-1", "32"] }],
      outputs: [{ name: "probs", datatype: "FP32", shape: ["-1", "4"] }],
    });
    expect((await call("ModelReady", { name: mlp }, { token })).res).toEqual({ ready: true });
    expect((await call("ModelReady", { name: mlp, version: "1" }, { token })).res).toEqual({ ready: true });
    const unknown = await call("ModelMetadata", { name: "no-such-endpoint" }, { token });
    expect(unknown.code).toBe(grpc.status.NOT_FOUND);
    expect(unknown.details).toBe("endpoint 'no-such-endpoint' not found");
    const version = await call("ModelReady", { name: mlp, version: "7" }, { token });
    expect(version.code).toBe(grpc.status.NOT_FOUND);
  });
});

describe("gRPC: Triton's extensions", () => {
  it("answers the model configuration, statistics and repository index as the REST routes do", async () => {
    const config = await call("ModelConfig", { name: mlp }, { token });
    expect(config.code, config.details).toBe(grpc.status.OK);
    const rest = (await planeFetch(plane.port, `/v2/models/${mlp}/config`, { token })).json;
    expect(config.res.config).toMatchObject({
      name: mlp,
      platform: "onnxruntime_onnx",
      backend: "onnxruntime",
      max_batch_size: rest.max_batch_size,
      input: [{ name: "x", data_type: "TYPE_FP32", dims: ["32"] }],
      output: [{ name: "probs", data_type: "TYPE_FP32", dims: ["4"] }],
      dynamic_batching: { max_queue_delay_microseconds: String(rest.dynamic_batching.max_queue_delay_microseconds) },
    });

    await call("ModelInfer", { model_name: mlp, inputs: [{ name: "x", datatype: "FP32", shape: [2, 32], contents: { fp32_contents: mlpInput(2, 4) } }] }, { token });
    const stats = await call("ModelStatistics", { name: mlp }, { token });
    const restStats = (await planeFetch(plane.port, `/v2/models/${mlp}/stats`, { token })).json.model_stats;
    expect(stats.res.model_stats).toHaveLength(1);
    const [g, r] = [stats.res.model_stats[0], restStats[0]];
    expect([g.name, g.version, g.inference_count, g.execution_count]).toEqual([r.name, r.version, String(r.inference_count), String(r.execution_count)]);
    expect(Number(g.inference_stats.success.count)).toBe(r.inference_stats.success.count);
    expect(Number(g.inference_stats.success.count)).toBeGreaterThanOrEqual(1);
    const all = await call("ModelStatistics", {}, { token });
    expect(all.res.model_stats.map((m: { name: string }) => m.name)).toContain(mlp);

    const index = await call("RepositoryIndex", { ready: true }, { token });
    expect(index.res.models).toContainEqual({ name: mlp, version: "1", state: "READY", reason: "" });
    const load = await call("RepositoryModelLoad", { model_name: mlp }, { token });
    expect(load.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(load.details).toMatch(/^explicit model load is not available: Ferry loads the versions endpoints route to/);
    expect((await call("ModelStatistics", { name: mlp })).code).toBe(grpc.status.UNAUTHENTICATED);
    expect((await call("ModelConfig", { name: "nope" }, { token })).code).toBe(grpc.status.NOT_FOUND);
  });
});

describe("gRPC: ModelInfer", () => {
  it("runs typed contents and answers raw outputs equal to onnxruntime's, with the version and request id", async () => {
    const rows = mlpInput(3, 11);
    const a = await call(
      "ModelInfer",
      { model_name: mlp, id: "g-1", inputs: [{ name: "x", datatype: "FP32", shape: [3, 32], contents: { fp32_contents: rows } }] },
      { token, headers: { "x-request-id": "trace-7" } },
    );
    expect(a.code, a.details).toBe(grpc.status.OK);
    expect(a.res).toMatchObject({ model_name: mlp, model_version: "1", id: "g-1", outputs: [{ name: "probs", datatype: "FP32", shape: ["3", "4"] }] });
    expect(floats(a.res.raw_output_contents[0])).toEqual(await expected(rows, 3));
    expect(a.metadata["x-ferry-version"]).toBe("1");
    expect(a.metadata["x-request-id"]).toBe("trace-7");
  });

  it("runs raw_input_contents (tritonclient's default) the same way", async () => {
    const rows = mlpInput(2, 5);
    const a = await call("ModelInfer", { model_name: mlp, model_version: "1", inputs: [{ name: "x", datatype: "FP32", shape: [2, 32] }], raw_input_contents: [fp32Raw(rows)] }, { token });
    expect(a.code, a.details).toBe(grpc.status.OK);
    expect(floats(a.res.raw_output_contents[0])).toEqual(await expected(rows, 2));
  });

  it("batches concurrent calls and gives each caller exactly its own rows", async () => {
    const sizes = [1, 4, 2, 7, 1, 3, 5, 2];
    const before = await metricSum(plane.port, "ferry_requests_total", { endpoint: mlp, code: "200" });
    const answers = await Promise.all(
      sizes.map((n, i) => call("ModelInfer", { model_name: mlp, inputs: [{ name: "x", datatype: "FP32", shape: [n, 32] }], raw_input_contents: [fp32Raw(mlpInput(n, 100 + i))] }, { token })),
    );
    for (const [i, a] of answers.entries()) {
      expect(a.code, a.details).toBe(grpc.status.OK);
      expect(a.res.outputs[0].shape).toEqual([String(sizes[i]), "4"]);
      expect(floats(a.res.raw_output_contents[0])).toEqual(await expected(mlpInput(sizes[i], 100 + i), sizes[i]));
    }
    // Recorded like REST requests (the Prometheus counter by endpoint and status).
    expect(await metricSum(plane.port, "ferry_requests_total", { endpoint: mlp, code: "200" })).toBe(before + sizes.length);
  });

  it("routes by the call's metadata and its parameters, as REST routes by headers and parameters", async () => {
    const x = [{ name: "x", datatype: "FP32", shape: [1, 32], contents: { fp32_contents: mlpInput(1, 3) } }];
    const version = async (request: object, headers?: Record<string, string>) => {
      const a = await call("ModelInfer", { model_name: routed, inputs: x, ...request }, { token, headers });
      expect(a.code, a.details).toBe(grpc.status.OK);
      return a.res.model_version;
    };
    expect(await version({})).toBe("1");
    expect(await version({}, { "x-segment": "beta" })).toBe("2");
    expect(await version({ parameters: { tier: { string_param: "gold" } } })).toBe("2");
    expect(await version({ parameters: { tier: { string_param: "silver" } } })).toBe("1");
  });

  it("selects and orders outputs, with inputs of two datatypes", async () => {
    const a = await call(
      "ModelInfer",
      {
        model_name: two,
        inputs: [
          { name: "a", datatype: "FP32", shape: [2, 4], contents: { fp32_contents: [1, 5, 2, 0, 0, 0, 3, 1] } },
          { name: "b", datatype: "INT64", shape: [2, 2], contents: { int64_contents: ["10", "20", "1", "2"] } },
        ],
        outputs: [{ name: "index" }, { name: "total" }],
      },
      { token },
    );
    expect(a.code, a.details).toBe(grpc.status.OK);
    expect(a.res.outputs.map((o: { name: string }) => o.name)).toEqual(["index", "total"]);
    const index = a.res.raw_output_contents[0] as Buffer;
    expect([index.readBigInt64LE(0), index.readBigInt64LE(8)]).toEqual([31n, 5n]);
    expect(floats(a.res.raw_output_contents[1])).toEqual([38, 7]);
  });

  it.each([
    ["INT64", { int64_contents: ["9007199254740993", "-5", "1", "0"] }, (b: Buffer) => [0, 1, 2, 3].map((i) => String(b.readBigInt64LE(i * 8))), ["9007199254740993", "-5", "1", "0"]],
    ["BOOL", { bool_contents: [true, false, false, true] }, (b: Buffer) => [...b], [1, 0, 0, 1]],
    ["BYTES", { bytes_contents: ["a", "hé", "", "zz"].map((s) => Buffer.from(s)) }, bytesOf, ["a", "hé", "", "zz"]],
  ] as const)("round-trips %s contents exactly", async (dt, contents, read, want) => {
    const a = await call("ModelInfer", { model_name: idents[dt], inputs: [{ name: "x", datatype: dt, shape: [2, 2], contents }] }, { token });
    expect(a.code, a.details).toBe(grpc.status.OK);
    expect(read(a.res.raw_output_contents[0])).toEqual(want);
  });

  it("decodes the typed contents of a large message in the parse worker, with the same answers and refusals", async () => {
    const jobs = plane.internals.bodies.jobs;
    // 3,000 int64 values of 8–10 bytes each: ~28 KB, past the test plane's 16 KiB.
    const values = Array.from({ length: 3_000 }, (_, i) => String((BigInt(i) << 50n) * (i % 2 ? -1n : 1n) + 7n));
    const a = await call("ModelInfer", { model_name: idents.INT64, inputs: [{ name: "x", datatype: "INT64", shape: [1_500, 2], contents: { int64_contents: values } }] }, { token });
    expect(a.code, a.details).toBe(grpc.status.OK);
    const out = a.res.raw_output_contents[0] as Buffer;
    expect(Array.from({ length: 3_000 }, (_, i) => String(out.readBigInt64LE(i * 8)))).toEqual(values);
    const rows = mlpInput(250, 8);
    const typed = await call("ModelInfer", { model_name: mlp, inputs: [{ name: "x", datatype: "FP32", shape: [250, 32], contents: { fp32_contents: rows } }] }, { token });
    expect(floats(typed.res.raw_output_contents[0])).toEqual(await expected(rows, 250));
    const short = await call("ModelInfer", { model_name: mlp, inputs: [{ name: "x", datatype: "FP32", shape: [250, 32], contents: { fp32_contents: rows.slice(1) } }] }, { token });
    expect(short.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(short.details).toBe("input 'x': expected 8000 elements for shape [250,32], got 7999");
    expect(plane.internals.bodies.jobs).toBe(jobs + 3);
  });

  it("answers an output's top classes for an int64_param 'classification' (Triton's classification extension)", async () => {
    const x = mlpInput(2, 7);
    const a = await call(
      "ModelInfer",
      { model_name: mlp, inputs: [{ name: "x", datatype: "FP32", shape: [2, 32] }], raw_input_contents: [fp32Raw(x)], outputs: [{ name: "probs", parameters: { classification: { int64_param: 1 } } }] },
      { token },
    );
    expect(a.code, a.details).toBe(grpc.status.OK);
    expect(a.res.outputs.map((o: { datatype: string; shape: string[] }) => [o.datatype, o.shape.map(Number)])).toEqual([["BYTES", [2, 1]]]);
    const probs = await expected(x, 2);
    const best = [0, 1].map((r) => {
      const row = probs.slice(r * 4, r * 4 + 4);
      const i = row.indexOf(Math.max(...row));
      return `${row[i].toFixed(6)}:${i}`;
    });
    expect(bytesOf(a.res.raw_output_contents[0])).toEqual(best);
    // The same model uploaded with labels: each class named, as Triton writes it for a model with a label file.
    const named = await call("ModelInfer", { model_name: routed, inputs: [{ name: "x", datatype: "FP32", shape: [2, 32] }], raw_input_contents: [fp32Raw(x)], outputs: [{ name: "probs", parameters: { classification: { int64_param: 1 } } }] }, { token });
    const LABELS = ["north", "east", "south", "west"];
    expect(bytesOf(named.res.raw_output_contents[0])).toEqual(best.map((b) => `${b}:${LABELS[Number(b.split(":")[1])]}`));
  });

  it("takes FP16 as raw bytes and says where it belongs when sent as contents", async () => {
    const bits = Uint16Array.from([0.5, -2, 1024, 0], floatToHalf);
    const raw = Buffer.from(bits.buffer);
    const a = await call("ModelInfer", { model_name: idents.FP16, inputs: [{ name: "x", datatype: "FP16", shape: [2, 2] }], raw_input_contents: [raw] }, { token });
    expect(a.code, a.details).toBe(grpc.status.OK);
    expect(Buffer.compare(a.res.raw_output_contents[0], raw)).toBe(0);
    const wrong = await call("ModelInfer", { model_name: idents.FP16, inputs: [{ name: "x", datatype: "FP16", shape: [2, 2], contents: { fp32_contents: [1, 2, 3, 4] } }] }, { token });
    expect(wrong.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(wrong.details).toBe("input 'x': FP16 has no 'contents' field; send its bytes in raw_input_contents");
  });
});

describe("gRPC: refusals", () => {
  const infer = (request: object, opts: { token?: string } = { token }) => call("ModelInfer", { model_name: mlp, ...request }, opts);

  it.each([
    ["element count", { inputs: [{ name: "x", datatype: "FP32", shape: [1, 32], contents: { fp32_contents: new Array(40).fill(0) } }] }, "input 'x': expected 32 elements for shape [1,32], got 40"],
    ["missing input", { inputs: [] }, "input 'x' is missing (expected inputs: x)"],
    ["extra input", { inputs: [{ name: "z", datatype: "FP32", shape: [1], contents: { fp32_contents: [1] } }] }, "input 'z' is not an input of the model (expected inputs: x)"],
    ["wrong datatype", { inputs: [{ name: "x", datatype: "INT32", shape: [1, 32], contents: { int_contents: new Array(32).fill(0) } }] }, "input 'x': datatype INT32 does not match the model's FP32"],
    ["negative dimension", { inputs: [{ name: "x", datatype: "FP32", shape: [-1, 32], contents: { fp32_contents: [] } }] }, "input 'x': shape [-1,32] has a negative dimension"],
    ["contents in the wrong field", { inputs: [{ name: "x", datatype: "FP32", shape: [1, 32], contents: { fp64_contents: new Array(32).fill(0) } }] }, "input 'x': FP32 elements belong in contents.fp32_contents, not contents.fp64_contents"],
    ["raw entries that do not match the inputs", { inputs: [{ name: "x", datatype: "FP32", shape: [1, 32] }], raw_input_contents: [fp32Raw(mlpInput(1, 1)), Buffer.alloc(4)] }, "raw_input_contents has 2 entries for 1 inputs: send one per input, in the order of 'inputs'"],
    ["raw bytes of the wrong size", { inputs: [{ name: "x", datatype: "FP32", shape: [1, 32] }], raw_input_contents: [Buffer.alloc(100)] }, "input 'x': expected 128 bytes of binary data for FP32 shape [1,32], got 100"],
  ])("answers INVALID_ARGUMENT naming the problem: %s", async (_case, request, message) => {
    const a = await infer(request);
    expect(a.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(a.details).toBe(message);
  });

  it("answers bytes that are no ModelInferRequest with INVALID_ARGUMENT saying what is malformed, and serves on", async () => {
    // Field 1 (model_name) says 5 bytes follow; 1 does.
    const a = await call("ModelInfer", Buffer.from([0x0a, 0x05, 0x61]), { token });
    expect(a.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(a.details).toBe("the message is not a valid ModelInferRequest: a field of 5 bytes runs past the end of its message");
    const ok = await infer({ inputs: [{ name: "x", datatype: "FP32", shape: [1, 32], contents: { fp32_contents: mlpInput(1, 2) } }] });
    expect(ok.code).toBe(grpc.status.OK);
  });

  it("checks the token before reading the message: a refused call's message is never read, whatever its size", async () => {
    // Past the 64 KiB message limit: with a token this is RESOURCE_EXHAUSTED (below); without one, refused first.
    const big = { inputs: [{ name: "x", datatype: "FP32", shape: [1000, 32] }], raw_input_contents: [Buffer.alloc(128_000)] };
    const none = await infer(big, {});
    expect(none.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(none.details).toBe("missing bearer token (send 'authorization: Bearer <token>' in the call's metadata)");
    expect((await infer(big, { token: "fry_not_a_real_token_000000000000" })).code).toBe(grpc.status.UNAUTHENTICATED);
  });

  it("drops a call whose deadline passes while it waits, and counts it as a timeout (504)", async () => {
    const request = (i: number) => ({ model_name: slow, inputs: [{ name: "x", datatype: "FP32", shape: [200, 32] }], raw_input_contents: [fp32Raw(mlpInput(200, i))] });
    // One run's time on this machine (and the token's lookup cached): calls must reach the server well within their
    // deadline, and wait behind two runs or more past it.
    expect((await call("ModelInfer", request(8), { token })).code).toBe(grpc.status.OK);
    const t0 = performance.now();
    expect((await call("ModelInfer", request(9), { token })).code).toBe(grpc.status.OK);
    const deadlineMs = Math.max(40, 2.5 * (performance.now() - t0));
    const before = await metricSum(plane.port, "ferry_requests_total", { endpoint: slow, code: "504" });
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => call("ModelInfer", request(i), { token, deadlineMs })));
    expect(answers.every((a) => a.code === grpc.status.OK || a.code === grpc.status.DEADLINE_EXCEEDED), JSON.stringify(answers.map((a) => a.code))).toBe(true);
    expect(answers.filter((a) => a.code === grpc.status.DEADLINE_EXCEEDED).length).toBeGreaterThanOrEqual(3);
    await waitFor(async () => (await metricSum(plane.port, "ferry_requests_total", { endpoint: slow, code: "504" })) > before, 5_000, "a 504 to be counted");
    // Nothing of theirs is left waiting.
    await waitFor(() => plane.internals.sessions.all().every((v) => v.batcher.depth === 0), 5_000, "the queues to empty");
  });

  it("refuses a call without a token, an unknown endpoint, and a version not served", async () => {
    const x = [{ name: "x", datatype: "FP32", shape: [1, 32], contents: { fp32_contents: mlpInput(1, 2) } }];
    expect((await infer({ inputs: x }, {})).code).toBe(grpc.status.UNAUTHENTICATED);
    const wrong = await infer({ inputs: x }, { token: "fry_not_a_real_token_000000000000" });
    expect(wrong.code).toBe(grpc.status.UNAUTHENTICATED);
    const unknown = await call("ModelInfer", { model_name: "nope", inputs: x }, { token });
    expect(unknown.code).toBe(grpc.status.NOT_FOUND);
    const version = await infer({ model_version: "9", inputs: x });
    expect(version.code).toBe(grpc.status.NOT_FOUND);
    expect(version.details).toMatch(/version '9' of endpoint .* is not served here/);
  });

  it("answers RESOURCE_EXHAUSTED with retry-after past the token's rate limit, and for a message over the size limit", async () => {
    const x = [{ name: "x", datatype: "FP32", shape: [1, 32], contents: { fp32_contents: mlpInput(1, 2) } }];
    const answers = await Promise.all(Array.from({ length: 4 }, () => call("ModelInfer", { model_name: limited, inputs: x }, { token })));
    const limitedOnes = answers.filter((a) => a.code === grpc.status.RESOURCE_EXHAUSTED);
    expect(answers.filter((a) => a.code === grpc.status.OK).length).toBeGreaterThanOrEqual(1);
    expect(limitedOnes.length).toBeGreaterThanOrEqual(2);
    expect(Number(limitedOnes[0].metadata["retry-after"])).toBeGreaterThanOrEqual(1);
    const big = await infer({ inputs: [{ name: "x", datatype: "FP32", shape: [1000, 32] }], raw_input_contents: [Buffer.alloc(128_000)] });
    expect(big.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    // Still serving.
    expect((await infer({ inputs: x })).code).toBe(grpc.status.OK);
  });
});

describe("gRPC: ModelStreamInfer (Triton's streaming)", () => {
  const rows = (i: number) => mlpInput(1, 100 + i);

  it("answers every request of a stream with its own rows, a failed one with its error and id, and ends with OK", async () => {
    const good = Array.from({ length: 12 }, (_, i) => ({ model_name: mlp, id: `r${i}`, inputs: [{ name: "x", datatype: "FP32", shape: [1, 32] }], raw_input_contents: [fp32Raw(rows(i))] }));
    const bad = { model_name: mlp, id: "bad", inputs: [{ name: "x", datatype: "FP32", shape: [1, 32], contents: { fp32_contents: [1, 2] } }] };
    const unknown = { model_name: "nope", id: "lost", inputs: [] };
    const before = await metricSum(plane.port, "ferry_requests_total", { endpoint: mlp, code: "200" });
    const a = await stream([...good.slice(0, 6), bad, ...good.slice(6), unknown], { token });
    expect(a.code).toBe(grpc.status.OK);
    expect(a.responses).toHaveLength(14);
    const byId = new Map(a.responses.map((r) => [r.infer_response.id, r]));
    expect(byId.get("bad").error_message).toBe("input 'x': expected 32 elements for shape [1,32], got 2");
    expect(byId.get("lost").error_message).toBe("endpoint 'nope' not found");
    for (let i = 0; i < 12; i++) {
      const r = byId.get(`r${i}`);
      expect(r.error_message).toBe("");
      expect(r.infer_response.model_name).toBe(mlp);
      expect(r.infer_response.model_version).toBe("1");
      expect(floats(r.infer_response.raw_output_contents[0])).toEqual(await expected(rows(i), 1));
    }
    expect(await metricSum(plane.port, "ferry_requests_total", { endpoint: mlp, code: "200" })).toBe(before + 12);
  });

  it("refuses a stream without a token, and answers rate-limited requests with their error on the stream", async () => {
    const x = { model_name: limited, inputs: [{ name: "x", datatype: "FP32", shape: [1, 32], contents: { fp32_contents: rows(1) } }] };
    const none = await stream([x]);
    expect(none.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(none.responses).toEqual([]);
    const a = await stream(Array.from({ length: 4 }, (_, i) => ({ ...x, id: `l${i}` })), { token });
    expect(a.code).toBe(grpc.status.OK);
    expect(a.responses).toHaveLength(4);
    const refused = a.responses.filter((r) => r.error_message !== "");
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused[0].error_message).toMatch(/rate limit/);
  });

  it("stops reading a stream whose client does not read the answers, and serves the rest once it does", async () => {
    // A client that keeps HTTP/2's flow control (C-core's, which tritonclient uses, does; grpc-js's client reads
    // everything into its own memory), spoken with node:http2: it sends 300 requests, then reads nothing for a while.
    const method = grpcService("inference.GRPCInferenceService").service.ModelStreamInfer;
    const session = http2.connect(`http://127.0.0.1:${plane.grpcPort}`);
    const h2 = session.request({ ":method": "POST", ":path": method.path, "content-type": "application/grpc", te: "trailers", authorization: `Bearer ${token}` });
    h2.pause();
    const count = () => metricSum(plane.port, "ferry_requests_total", { endpoint: mlp });
    const before = await count();
    for (let i = 0; i < 300; i++) {
      const msg = method.requestSerialize({ model_name: mlp, id: `u${i}`, inputs: [{ name: "x", datatype: "FP32", shape: [100, 32] }], raw_input_contents: [fp32Raw(mlpInput(100, i))] });
      const frame = Buffer.alloc(5 + msg.length);
      frame.writeUInt32BE(msg.length, 1);
      msg.copy(frame, 5);
      h2.write(frame);
    }
    h2.end();
    // Served until the answers back up, then no more while nobody reads them.
    let served = -1;
    await waitFor(async () => {
      const now = (await count()) - before;
      const settled = now === served && now > 0;
      served = now;
      await new Promise((r) => setTimeout(r, 200));
      return settled;
    }, 10_000, "serving to stop while the answers are not read");
    expect(served).toBeLessThan(200);
    // Reading again: every request is answered, and the stream ends OK.
    const chunks: Buffer[] = [];
    h2.on("data", (c: Buffer) => chunks.push(c));
    h2.resume();
    const trailers = await new Promise<http2.IncomingHttpHeaders>((resolve) => h2.on("trailers", resolve));
    session.close();
    expect(trailers["grpc-status"]).toBe("0");
    const body = Buffer.concat(chunks);
    const answers: { error_message: string }[] = [];
    for (let at = 0; at < body.length; at += 5 + body.readUInt32BE(at + 1)) answers.push(method.responseDeserialize(body.subarray(at + 5, at + 5 + body.readUInt32BE(at + 1))) as { error_message: string });
    expect(answers).toHaveLength(300);
    expect(answers.every((a) => a.error_message === "")).toBe(true);
  });

  it("serves a long stream without queueing more than its share: past 64 requests in flight it is not read", async () => {
    let deepest = 0;
    const sampler = setInterval(() => {
      for (const v of plane.internals.sessions.all()) deepest = Math.max(deepest, v.batcher.depth);
    }, 1);
    const requests = Array.from({ length: 150 }, (_, i) => ({ model_name: slow, id: `s${i}`, inputs: [{ name: "x", datatype: "FP32", shape: [1, 32] }], raw_input_contents: [fp32Raw(rows(i))] }));
    const a = await stream(requests, { token }).finally(() => clearInterval(sampler));
    expect(a.code).toBe(grpc.status.OK);
    expect(a.responses.filter((r) => r.error_message === "")).toHaveLength(150);
    expect(new Set(a.responses.map((r) => r.infer_response.id)).size).toBe(150);
    expect(deepest).toBeGreaterThan(1);
    expect(deepest).toBeLessThanOrEqual(64);
  });
});

function bytesOf(b: Buffer): string[] {
  const out: string[] = [];
  for (let pos = 0; pos < b.length; ) {
    const n = b.readUInt32LE(pos);
    out.push(b.toString("utf8", pos + 4, pos + 4 + n));
    pos += 4 + n;
  }
  return out;
}

describe("gRPC: a port in use", () => {
  it("refuses to start with a message saying what to do", async () => {
    const hooks = { ctx: { log: quietLogger } } as unknown as Parameters<typeof startGrpcServer>[0];
    await expect(startGrpcServer(hooks, { host: "127.0.0.1", port: plane.grpcPort!, maxMessageBytes: 1024 })).rejects.toThrow(
      `the gRPC port 127.0.0.1:${plane.grpcPort} is in use by another process: stop it, or set FERRY_GRPC_PORT to a free port (or to off)`,
    );
    expect((await call("ServerLive", {})).res).toEqual({ live: true });
  });

  it("listens on an IPv6 host as on an IPv4 one (FERRY_INFERENCE_HOST=:: or ::1)", async () => {
    const hooks = { ctx: { log: quietLogger }, ready: () => true } as unknown as Parameters<typeof startGrpcServer>[0];
    const v6 = await startGrpcServer(hooks, { host: "::1", port: 0, maxMessageBytes: 1024 });
    try {
      expect(v6.port).toBeGreaterThan(0);
    } finally {
      await v6.close(1_000);
    }
  });
});

describe("gRPC: shutdown", () => {
  it("drains the calls in flight on close, answers during the grace period, and refuses new calls afterwards", async () => {
    const rows = 400;
    const input = (i: number) => mlpInput(rows, i).map((v) => v / 2);
    const pending = Array.from({ length: 6 }, (_, i) =>
      call("ModelInfer", { model_name: mlp, inputs: [{ name: "x", datatype: "FP32", shape: [rows, 32] }], raw_input_contents: [fp32Raw(input(i))] }, { token }),
    );
    // A stream its client keeps open: its requests in flight are answered, then it ends saying why.
    const open = stream(
      Array.from({ length: 3 }, (_, i) => ({ model_name: slow, id: `o${i}`, inputs: [{ name: "x", datatype: "FP32", shape: [50, 32] }], raw_input_contents: [fp32Raw(mlpInput(50, i))] })),
      { token, keepOpen: true },
    );
    await new Promise((r) => setTimeout(r, 5));
    const closing = plane.close();
    // The grace period (100 ms here): not ready any more, still answering.
    expect((await call("ServerReady", {})).res).toEqual({ ready: false });
    expect((await call("Health.Check", { service: "" })).res).toEqual({ status: "NOT_SERVING" });
    const late = await call("ModelInfer", { model_name: mlp, inputs: [{ name: "x", datatype: "FP32", shape: [1, 32], contents: { fp32_contents: mlpInput(1, 9) } }] }, { token });
    expect(late.code, late.details).toBe(grpc.status.OK);
    const answers = await Promise.all(pending);
    expect(answers.map((a) => a.code)).toEqual(new Array(6).fill(grpc.status.OK));
    expect(floats(answers[5].res.raw_output_contents[0])).toEqual(await expected(input(5), rows));
    await closing;
    const ended = await open;
    expect(ended.code).toBe(grpc.status.UNAVAILABLE);
    expect(ended.details).toBe("the server is shutting down: requests not answered on this stream were not served; send them again on a new stream");
    expect(ended.responses.map((r) => [r.infer_response.id, r.error_message]).sort()).toEqual([["o0", ""], ["o1", ""], ["o2", ""]]);
    const after = await call("ServerLive", {}, { deadlineMs: 2_000 });
    expect(after.code).not.toBe(grpc.status.OK);
  });
});
