import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import crypto from "node:crypto";
import net from "node:net";
import * as ort from "onnxruntime-node";
import { buildMlp } from "@/lib/onnx/build-model";
import { getDb } from "@/lib/db/client";
import { artifactPath } from "@/lib/artifacts/artifact-path";
import { notifyDesiredState } from "@/lib/endpoints/notify-desired-state";
import { loggedTensorsOf, loggedValues } from "@/lib/oip/logged-tensors";
import { startDataPlane, type DataPlane } from "./start-data-plane";
import { insertLogChunk, nextLogChunk } from "./prediction-log";
import { addVersion, continuousLoad, inferBody, makeInferToken, metricSum, mlpInput, planeFetch, putEndpointRow, sendAtOnce, unique, waitFor, quietLogger } from "./data-plane-test-kit";

let plane: DataPlane;
let token: string;
const model = unique("swap");
const ep = unique("swap-ep");
const limited = unique("limited-ep");
const slowModel = unique("slow");
const slow = unique("slow-ep");
const slowTimeout = unique("slow-timeout-ep");

const x = mlpInput;

const infer = (endpoint: string, n: number, seed: number, headers: Record<string, string> = {}) =>
  planeFetch(plane.port, `/v2/models/${endpoint}/infer`, {
    method: "POST",
    token,
    headers,
    body: inferBody([{ name: "x", datatype: "FP32", shape: [n, 32], data: x(n, seed) }]),
  });

async function promote(version: number) {
  const db = await getDb();
  const m = await db.model.findUniqueOrThrow({ where: { name: model } });
  const v = await db.modelVersion.findUniqueOrThrow({ where: { modelId_version: { modelId: m.id, version } } });
  await db.alias.update({ where: { modelId_name: { modelId: m.id, name: "production" } }, data: { versionId: v.id } });
  await db.endpoint.updateMany({ where: { modelId: m.id }, data: { generation: { increment: 1 } } });
  await notifyDesiredState(ep);
}

beforeAll(async () => {
  await addVersion(model, buildMlp({ seed: 1 }), { alias: "production" });
  await putEndpointRow(ep, { model, variants: [{ name: "main", alias: "production", weight: 1 }], batching: { maxBatchSize: 64, maxQueueDelayMs: 2 } });
  const limitedModel = unique("limited");
  await addVersion(limitedModel, buildMlp({ seed: 1 }));
  await putEndpointRow(limited, { model: limitedModel, variants: [{ name: "main", version: 1, weight: 1 }], limits: { rateLimitPerSecond: 1 } });
  // ~4M multiply-adds per row: slow enough (milliseconds) that requests sent together queue behind one another.
  await addVersion(slowModel, buildMlp({ inputs: 32, hidden: 120_000, outputs: 4, seed: 2 }));
  await putEndpointRow(slow, { model: slowModel, variants: [{ name: "main", version: 1, weight: 1 }], batching: { maxBatchSize: 1, maxQueueDelayMs: 0 }, limits: { queueSize: 1 } });
  await putEndpointRow(slowTimeout, { model: slowModel, variants: [{ name: "main", version: 1, weight: 1 }], batching: { maxBatchSize: 1 }, limits: { timeoutMs: 1 } });
  token = (await makeInferToken()).secret;
  plane = await startDataPlane({ logger: quietLogger, shutdownGraceMs: 200, host: "127.0.0.1", port: 0, workers: 1, resyncMs: 300, flushMs: 200, databaseUrl: undefined, logSampleRate: 1 });
}, 120_000);

afterAll(async () => {
  await plane?.close();
});

describe("batching", () => {
  it("stacks concurrent callers and gives each exactly its rows", async () => {
    const session = await ort.InferenceSession.create(buildMlp({ seed: 1 }));
    const sizes = Array.from({ length: 40 }, (_, i) => 1 + (i % 3));
    const before = await batchCounts();
    const answers = await sendAtOnce(
      plane.port,
      sizes.map((n, i) => ({ path: `/v2/models/${ep}/infer`, token, body: inferBody([{ name: "x", datatype: "FP32", shape: [n, 32], data: x(n, i) }]) })),
    );
    const after = await batchCounts();
    for (const [i, res] of answers.entries()) {
      expect(res.status).toBe(200);
      const direct = await session.run({ x: new ort.Tensor("float32", Float32Array.from(x(sizes[i], i)), [sizes[i], 32]) });
      expect(res.json.outputs[0].shape).toEqual([sizes[i], 4]);
      const got = res.json.outputs[0].data as number[];
      const want = Array.from(direct.probs.data as Float32Array);
      // Batched matmuls may differ from unbatched ones in the last bits (different kernels); rows must not mix.
      got.forEach((g, j) => expect(g).toBeCloseTo(want[j], 6));
    }
    await session.release();
    const runs = after.count - before.count;
    expect(after.sum - before.sum).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(runs).toBeLessThan(sizes.length);
  });
});

async function batchCounts(): Promise<{ count: number; sum: number }> {
  return { count: await metricSum(plane.port, "ferry_batch_size_count", { model }), sum: await metricSum(plane.port, "ferry_batch_size_sum", { model }) };
}

describe("routing", () => {
  it("sends header-matched requests to their variant and mirrors to the shadow without touching answers", async () => {
    const routedModel = unique("routed");
    await addVersion(routedModel, buildMlp({ seed: 1 }));
    await addVersion(routedModel, buildMlp({ seed: 2 }));
    await addVersion(routedModel, buildMlp({ seed: 3 }));
    const routed = unique("routed-ep");
    await putEndpointRow(routed, {
      model: routedModel,
      variants: [{ name: "stable", version: 1, weight: 1 }, { name: "beta", version: 2, weight: 0 }],
      rules: [{ header: "x-segment", equals: "beta", variant: "beta" }],
      shadow: { version: 3, percent: 100 },
    });
    await plane.refresh();
    await waitFor(() => plane.internals.serving.active.has(routed), 10_000, "the routed endpoint");
    const plain = await Promise.all(Array.from({ length: 5 }, (_, i) => infer(routed, 1, i)));
    expect(plain.map((r) => r.json.model_version)).toEqual(["1", "1", "1", "1", "1"]);
    const beta = await infer(routed, 1, 0, { "x-segment": "beta" });
    expect(beta.headers.get("x-ferry-version")).toBe("2");
    const direct = await ort.InferenceSession.create(buildMlp({ seed: 1 }));
    const want = await direct.run({ x: new ort.Tensor("float32", Float32Array.from(x(1, 0)), [1, 32]) });
    expect(plain[0].json.outputs[0].data).toEqual(Array.from(want.probs.data as Float32Array));
    await direct.release();

    const db = await getDb();
    const endpoint = await db.endpoint.findUniqueOrThrow({ where: { name: routed } });
    await waitFor(async () => {
      await plane.internals.recorder.flush();
      const shadowRow = await db.metricRollup.findFirst({ where: { endpointId: endpoint.id, version: 3 } });
      return (shadowRow?.shadowCount ?? 0) >= 6;
    }, 10_000, "shadow comparisons");
    const rows = await db.metricRollup.findMany({ where: { endpointId: endpoint.id } });
    const byVersion = (v: number) => rows.filter((r) => r.version === v).reduce((n, r) => n + r.count, 0);
    expect([byVersion(1), byVersion(2), byVersion(3)]).toEqual([5, 1, 0]);
    expect(rows.reduce((n, r) => n + r.errors, 0)).toBe(0);
  });
});

describe("limits", () => {
  it("rate limits per token with 429 and Retry-After", async () => {
    // A burst of one second's worth passes (1 at 1/s); the rest of a simultaneous burst is refused.
    const answers = await Promise.all(Array.from({ length: 4 }, (_, i) => infer(limited, 1, i)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 429, 429, 429]);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.json.error).toBe("rate limit of 1 requests per second exceeded for this token; retry after 1 s");
    const other = (await makeInferToken()).secret;
    const res = await planeFetch(plane.port, `/v2/models/${limited}/infer`, {
      method: "POST",
      token: other,
      body: inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data: x(1, 0) }]),
    });
    expect(res.status).toBe(200);
  });

  it("answers 503 with Retry-After when a version's queue is full", async () => {
    // At once: a 50-row run of the slow model takes ~20 ms, so 24 requests arriving together overflow 2 runs + 1 queued.
    const answers = await sendAtOnce(
      plane.port,
      Array.from({ length: 24 }, (_, i) => ({ path: `/v2/models/${slow}/infer`, token, body: inferBody([{ name: "x", datatype: "FP32", shape: [50, 32], data: x(50, i) }]) })),
    );
    const codes = answers.map((a) => a.status);
    expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(2);
    const full = answers.filter((a) => a.status === 503);
    expect(full.length).toBeGreaterThan(0);
    expect(codes.every((c) => c === 200 || c === 503)).toBe(true);
    expect(full[0].headers["retry-after"]).toBe("1");
    expect(full[0].json.error).toBe("the queue of this model version is full (1 requests waiting); retry shortly");
  });

  it("frees a queued request's slot when its client disconnects", async () => {
    // Two long runs (600 rows, ~0.25 s each here) fill the slow version's run slots (one worker, two runs in flight);
    // B then takes the one queue slot.
    const runs = () => metricSum(plane.port, "ferry_batch_size_count", { model: slowModel });
    const queueDepth = () => metricSum(plane.port, "ferry_queue_depth", { model: slowModel });
    const before = await runs();
    let longDone = 0;
    const long = [0, 1].map((i) => infer(slow, 600, 100 + i).finally(() => longDone++));
    await waitFor(async () => (await runs()) === before + 2, 20_000, "both long runs started");
    const b = net.connect(plane.port, "127.0.0.1");
    await new Promise((resolve) => b.once("connect", resolve));
    const body = Buffer.from(inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data: x(1, 7) }]));
    b.write(`POST /v2/models/${slow}/infer HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${token}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`);
    b.write(body);
    let bAnswered = false;
    b.on("data", () => (bAnswered = true));
    await waitFor(async () => (await queueDepth()) === 1, 10_000, "B queued");
    b.destroy();
    await waitFor(async () => (await queueDepth()) === 0, 10_000, "B's slot freed");
    // C takes the freed slot: were B still queued, C would be refused with 503 (queue full) while the long runs go on.
    expect(longDone).toBe(0);
    const c = await infer(slow, 1, 8);
    expect(c.status).toBe(200);
    expect((await Promise.all(long)).map((a) => a.status)).toEqual([200, 200]);
    expect(bAnswered).toBe(false);
    expect(await runs()).toBe(before + 3); // B never ran
  });

  it("answers 504 when a request outlives its timeout", async () => {
    // 600 rows take ~0.25 s here, far past the endpoint's 1 ms: both requests run out of time whether they were
    // waiting or running (a 1-row request could finish inside 1 ms on a quiet machine, and did once in CI).
    const answers = await Promise.all([0, 1].map((i) => infer(slowTimeout, 600, i)));
    expect(answers.map((a) => a.status)).toEqual([504, 504]);
    expect(answers[0].json.error).toBe("the request did not complete within 1 ms");
  });
});

describe("hot swap", () => {
  it("swaps versions under continuous load without failing a request, and drains the old one", async () => {
    const v2 = await addVersion(model, buildMlp({ seed: 7 }));
    const firstId = [...plane.internals.serving.active.get(ep)!.versions.values()][0].id;
    const load = continuousLoad(4, (c, i) => infer(ep, 1 + (i % 2), c * 1000 + i));
    const served = (version: string) => load.results.some((r) => r.json?.model_version === version);
    await new Promise((r) => setTimeout(r, 200));
    await promote(v2);
    await waitFor(() => served(String(v2)), 10_000, "version 2 to serve");
    await new Promise((r) => setTimeout(r, 200));
    await load.stop();
    expect(load.thrown).toEqual([]);
    expect(load.results.filter((r) => r.status !== 200).map((r) => `${r.status} ${JSON.stringify(r.json)}`)).toEqual([]);
    expect(new Set(load.results.map((r) => r.json.model_version))).toEqual(new Set(["1", "2"]));
    await waitFor(() => plane.internals.sessions.get(firstId) === undefined, 5_000, "version 1 to unload");
  });

  it("keeps the previous version serving when the new one fails to load, and reports why", async () => {
    const v3 = await addVersion(model, buildMlp({ seed: 9 }));
    const db = await getDb();
    const row = await db.modelVersion.findFirstOrThrow({ where: { model: { name: model }, version: v3 } });
    fs.writeFileSync(artifactPath(row.storageKey), Buffer.from("not the model that was uploaded"));
    await promote(v3);
    const endpoint = await db.endpoint.findUniqueOrThrow({ where: { name: ep } });
    await waitFor(async () => (await db.endpointState.findFirst({ where: { endpointId: endpoint.id, version: v3, state: "failed" } })) !== null, 10_000, "failed state");
    const state = await db.endpointState.findFirstOrThrow({ where: { endpointId: endpoint.id, version: v3 } });
    expect(state.message).toMatch(/does not match its recorded sha256/);
    const res = await infer(ep, 1, 1);
    expect(res.status).toBe(200);
    expect(res.json.model_version).toBe("2");
    expect(plane.ready()).toBe(true);
  });
});

describe("records", () => {
  it("writes per-minute rollups for what it served", async () => {
    const db = await getDb();
    const endpoint = await db.endpoint.findUniqueOrThrow({ where: { name: ep } });
    await plane.internals.recorder.flush();
    const rolls = await db.metricRollup.findMany({ where: { endpointId: endpoint.id } });
    const total = rolls.reduce((n, r) => n + r.count, 0);
    expect(total).toBeGreaterThan(40);
    expect(rolls.every((r) => r.latencyBuckets.reduce((a, b) => a + b, 0) === r.count)).toBe(true);
    // Flushing again writes the same absolute values: nothing is double counted.
    await plane.internals.recorder.flush();
    const again = await db.metricRollup.findMany({ where: { endpointId: endpoint.id } });
    expect(again.reduce((n, r) => n + r.count, 0)).toBe(total);
  });

  it("writes sampled prediction logs with inputs, outputs and the served version", async () => {
    const res = await infer(ep, 2, 42, { "x-request-id": "log-check-1" });
    expect(res.status).toBe(200);
    await plane.internals.recorder.flush();
    const db = await getDb();
    const row = await db.predictionLog.findFirstOrThrow({ where: { requestId: "log-check-1" } });
    expect(row.version).toBe(Number(res.json.model_version));
    expect(row.variant).toBe("main");
    expect(row.status).toBe(200);
    const [input] = loggedTensorsOf(row.inputs);
    expect(input).toMatchObject({ datatype: "FP32", shape: [2, 32] });
    expect(loggedValues(input)).toEqual(Array.from(Float32Array.from(x(2, 42))));
    const [probs] = loggedTensorsOf(row.outputs);
    expect(probs).toMatchObject({ datatype: "FP32", shape: [2, 4] });
    expect(loggedValues(probs)).toEqual((res.json.outputs as { data: number[] }[])[0].data);
    // A client reusing a request id keeps every sampled row, each under its own log key.
    await infer(ep, 1, 1, { "x-request-id": "log-check-1" });
    await plane.internals.recorder.flush();
    const both = await db.predictionLog.findMany({ where: { requestId: "log-check-1" }, orderBy: { id: "asc" } });
    expect(both.map((r) => loggedTensorsOf(r.inputs)[0].shape)).toEqual([[2, 32], [1, 32]]);
    expect(new Set(both.map((r) => r.logKey)).size).toBe(2);
  });

  it("writes a log row once when a flush is retried after its insert did commit", async () => {
    const db = await getDb();
    const endpoint = await db.endpoint.findUniqueOrThrow({ where: { name: ep } });
    const row = { logKey: `retry-${crypto.randomUUID()}`, requestId: "retried-flush", endpointId: endpoint.id, version: 1, variant: null, latencyMs: 1, status: 200, inputs: null, outputs: null, createdAt: new Date() };
    await insertLogChunk(db, nextLogChunk([row]));
    await insertLogChunk(db, nextLogChunk([row]));
    expect(await db.predictionLog.count({ where: { logKey: row.logKey } })).toBe(1);
  });
});

describe("worker crash", () => {
  it("fails only the crashed worker's in-flight requests and recovers", async () => {
    const pending = Array.from({ length: 6 }, (_, i) => infer(ep, 1, i));
    await plane.internals.pool.killWorker(0);
    const answers = await Promise.all(pending);
    expect(answers.every((a) => a.status === 200 || a.status === 500)).toBe(true);
    await plane.internals.pool.settled();
    const res = await infer(ep, 1, 1);
    expect(res.status).toBe(200);
  });
});

describe("shutdown", () => {
  it("drains in-flight requests on close and refuses new ones afterwards", async () => {
    const pending = Array.from({ length: 8 }, (_, i) => infer(ep, 2, i));
    await new Promise((r) => setTimeout(r, 5));
    const closing = plane.close();
    expect(plane.ready()).toBe(false);
    // During the grace period the plane still answers, says it is not ready, and asks clients to reconnect elsewhere.
    const ready = await planeFetch(plane.port, "/v2/health/ready");
    expect(ready.status).toBe(503);
    expect(ready.json).toEqual({ ready: false, reason: "shutting down" });
    const late = await infer(ep, 1, 1);
    expect(late.status).toBe(200);
    expect(late.headers.get("connection")).toBe("close");
    const answers = await Promise.all(pending);
    await closing;
    expect(answers.map((a) => a.status)).toEqual(new Array(8).fill(200));
    await expect(infer(ep, 1, 1)).rejects.toThrow();
  });
});
