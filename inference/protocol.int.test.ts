import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ort from "onnxruntime-node";
import { buildMlp, buildTwoInOut, buildTypedIdentity, buildZipMapClassifier } from "@/lib/onnx/build-model";
import { startDataPlane, type DataPlane } from "./start-data-plane";
import { addVersion, inferBody, makeInferToken, planeFetch, putEndpointRow, unique, quietLogger } from "./data-plane-test-kit";

let plane: DataPlane;
let token: string;
const mlpModel = unique("mlp");
const mlp = unique("mlp-ep");
const two = unique("two-ep");
const labelled = unique("labelled-ep");
const sklearn = unique("sklearn-ep");
const IRIS = ["setosa", "versicolor", "virginica"];
const idents: Record<string, string> = {};
const IDENT_TYPES = ["INT32", "INT64", "FP64", "UINT8", "BOOL", "FP16", "BYTES"] as const;

function rows(n: number, seed = 1): number[] {
  return Array.from({ length: n * 32 }, (_, i) => Math.sin(i * 0.37 + seed));
}

async function ortDirect(bytes: Uint8Array, feeds: Record<string, ort.Tensor>) {
  const s = await ort.InferenceSession.create(bytes);
  try {
    return await s.run(feeds);
  } finally {
    await s.release();
  }
}

beforeAll(async () => {
  const v1 = await addVersion(mlpModel, buildMlp({ seed: 1 }), { alias: "production" });
  await putEndpointRow(mlp, { model: mlpModel, variants: [{ name: "main", alias: "production", weight: 1 }] });
  const labelledModel = unique("labelled");
  // Labels for three of the MLP's four classes: class 3 is answered without one.
  await addVersion(labelledModel, buildMlp({ seed: 1 }), { labels: { probs: ["cat", "dog", "bird"] } });
  await putEndpointRow(labelled, { model: labelledModel, variants: [{ name: "main", version: 1, weight: 1 }] });
  const sklearnModel = unique("sklearn");
  await addVersion(sklearnModel, buildZipMapClassifier({ seed: 4, classLabels: IRIS }));
  await putEndpointRow(sklearn, { model: sklearnModel, variants: [{ name: "main", version: 1, weight: 1 }] });
  const twoModel = unique("two");
  await addVersion(twoModel, buildTwoInOut());
  await putEndpointRow(two, { model: twoModel, variants: [{ name: "main", version: 1, weight: 1 }] });
  for (const dt of IDENT_TYPES) {
    const model = unique(`id-${dt.toLowerCase()}`);
    await addVersion(model, buildTypedIdentity(dt));
    idents[dt] = unique(`id-ep-${dt.toLowerCase()}`);
    await putEndpointRow(idents[dt], { model, variants: [{ name: "main", version: 1, weight: 1 }] });
  }
  expect(v1).toBe(1);
  token = (await makeInferToken()).secret;
  plane = await startDataPlane({ logger: quietLogger, shutdownGraceMs: 200, host: "127.0.0.1", port: 0, workers: 1, maxRequestBytes: 64 * 1024, databaseUrl: null });
});

afterAll(async () => {
  await plane?.close();
});

describe("protocol endpoints", () => {
  it("answers health, server metadata and metrics", async () => {
    expect((await planeFetch(plane.port, "/v2/health/live")).json).toEqual({ live: true });
    const ready = await planeFetch(plane.port, "/v2/health/ready");
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ ready: true });
    const meta = await planeFetch(plane.port, "/v2");
    expect(meta.json.name).toBe("ferry");
    expect(meta.json.extensions).toEqual(["binary_tensor_data", "classification", "statistics", "model_configuration", "model_repository"]);
    const metrics = await planeFetch(plane.port, "/metrics");
    expect(metrics.bytes.toString()).toContain("ferry_loaded_versions");
  });

  it("describes an endpoint and its versions", async () => {
    const m = await planeFetch(plane.port, `/v2/models/${mlp}`, { token });
    expect(m.status).toBe(200);
    expect(m.json).toEqual({
      name: mlp,
      versions: ["1"],
      platform: "onnxruntime_onnx",
      inputs: [{ name: "x", datatype: "FP32", shape: [-1, 32] }],
      outputs: [{ name: "probs", datatype: "FP32", shape: [-1, 4] }],
    });
    expect((await planeFetch(plane.port, `/v2/models/${mlp}/versions/1`, { token })).json.versions).toEqual(["1"]);
    expect((await planeFetch(plane.port, `/v2/models/${mlp}/ready`, { token })).json).toEqual({ name: mlp, ready: true });
    expect((await planeFetch(plane.port, `/v2/models/${mlp}/versions/1/ready`, { token })).status).toBe(200);
  });

  it("describes an endpoint's version in Triton's model configuration (…/config): batch limit, inputs without the batch axis", async () => {
    const r = await planeFetch(plane.port, `/v2/models/${mlp}/config`, { token });
    expect(r.status).toBe(200);
    const served = plane.internals.sessions.all().find((v) => v.ref.model === mlpModel)!;
    expect(r.json).toEqual({
      name: mlp,
      platform: "onnxruntime_onnx",
      backend: "onnxruntime",
      max_batch_size: served.batcher.options.maxBatchSize,
      input: [{ name: "x", data_type: "TYPE_FP32", dims: [32] }],
      output: [{ name: "probs", data_type: "TYPE_FP32", dims: [4] }],
      dynamic_batching: { max_queue_delay_microseconds: Math.round(served.batcher.options.maxQueueDelayMs * 1000) },
    });
    expect((await planeFetch(plane.port, `/v2/models/${mlp}/versions/1/config`, { token })).json).toEqual(r.json);
    expect((await planeFetch(plane.port, `/v2/models/${mlp}/versions/2/config`, { token })).status).toBe(404);
  });

  it("counts what it served in Triton's statistics extension (…/stats), per version", async () => {
    type Stat = { name: string; version: string; last_inference: number; inference_count: number; execution_count: number; inference_stats: Record<string, { count: number; ns: number }> };
    const stats = async (path = `/v2/models/${mlp}/stats`) => {
      const r = await planeFetch(plane.port, path, { token });
      expect(r.status).toBe(200);
      return (r.json as { model_stats: Stat[] }).model_stats;
    };
    const [before] = await stats();
    const started = Date.now();
    for (let i = 0; i < 3; i++) {
      const ok = await planeFetch(plane.port, `/v2/models/${mlp}/infer`, { method: "POST", token, body: inferBody([{ name: "x", datatype: "FP32", shape: [2, 32], data: rows(2, i) }]) });
      expect(ok.status).toBe(200);
    }
    const bad = await planeFetch(plane.port, `/v2/models/${mlp}/infer`, { method: "POST", token, body: inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data: rows(2) }]) });
    expect(bad.status).toBe(400);
    const [after] = await stats();
    expect(after).toMatchObject({ name: mlp, version: "1" });
    const delta = (k: string) => ({ count: after.inference_stats[k].count - before.inference_stats[k].count, ns: after.inference_stats[k].ns - before.inference_stats[k].ns });
    expect(delta("success").count).toBe(3);
    expect(delta("fail").count).toBe(1);
    expect(delta("success").ns).toBeGreaterThan(0);
    expect(delta("queue").count).toBe(3);
    expect(delta("compute_infer").ns).toBe(delta("success").ns - delta("queue").ns);
    expect(after.inference_count - before.inference_count).toBe(6); // rows: three requests of two
    expect(after.execution_count - before.execution_count).toBe(3); // one at a time: no batching across them
    expect(after.last_inference).toBeGreaterThanOrEqual(started);
    // Pinned to a version, the same; a version not served is a 404.
    expect(await stats(`/v2/models/${mlp}/versions/1/stats`)).toEqual([after]);
    expect((await planeFetch(plane.port, `/v2/models/${mlp}/versions/9/stats`, { token })).status).toBe(404);
    expect((await planeFetch(plane.port, `/v2/models/${mlp}/stats`)).status).toBe(401);
  });

  it("answers Triton's statistics of every endpoint at /v2/models/stats, and reading them adds no metric series", async () => {
    const batchSeries = async () => (await planeFetch(plane.port, "/metrics")).bytes.toString().split("\n").filter((l) => l.startsWith("ferry_batch_size_count")).length;
    const seriesBefore = await batchSeries();
    const all = await planeFetch(plane.port, "/v2/models/stats", { token });
    expect(all.status).toBe(200);
    const stats = all.json.model_stats as { name: string; version: string; execution_count: number }[];
    // Every endpoint this plane serves, in name order, each with the version it serves; each equal to its own …/stats.
    // (On a shared Postgres the plane also serves other test files' endpoints: this file's must all be there.)
    const names = [mlp, two, ...Object.values(idents)].sort();
    expect(stats.map((s) => s.name).filter((n) => names.includes(n))).toEqual(names);
    expect(stats.map((s) => s.name)).toEqual(stats.map((s) => s.name).sort());
    for (const name of [mlp, two]) {
      const own = await planeFetch(plane.port, `/v2/models/${name}/stats`, { token });
      expect(stats.filter((s) => s.name === name)).toEqual(own.json.model_stats);
    }
    // Versions nothing has run yet (the datatype tests below run them) are answered with zeros, without creating an
    // empty series in /metrics.
    expect(stats.find((s) => s.name === idents.BYTES)?.execution_count).toBe(0);
    expect(await batchSeries()).toBe(seriesBefore);
    expect((await planeFetch(plane.port, "/v2/models/stats")).status).toBe(401);
    expect((await planeFetch(plane.port, "/v2/models/stats", { method: "POST", token, body: "{}" })).status).toBe(405);
  });

  it("lists every endpoint and the state of each version it serves in Triton's repository index, and refuses load / unload", async () => {
    const index = async (body: string, signedIn = true) => planeFetch(plane.port, "/v2/repository/index", { method: "POST", token: signedIn ? token : undefined, body });
    const ours = (entries: { name: string }[]) => entries.filter((e) => names.includes(e.name)); // a shared Postgres has other files' too
    const names = [mlp, two, ...Object.values(idents)].sort();
    const all = await index("{}");
    expect(all.status).toBe(200);
    expect(ours(all.json)).toEqual(names.map((name) => ({ name, version: "1", state: "READY", reason: "" })));
    expect(ours((await index("")).json)).toEqual(ours(all.json)); // tritonclient may send no body
    expect(ours((await index('{"ready": true}')).json)).toEqual(ours(all.json));
    expect((await index("{}", false)).status).toBe(401);
    const bad = await index('{"ready": "yes"}');
    expect([bad.status, bad.json]).toEqual([400, { error: "'ready' must be true or false" }]);
    expect((await index("[")).status).toBe(400);
    expect((await planeFetch(plane.port, "/v2/repository/index", { token })).status).toBe(405);
    const load = await planeFetch(plane.port, `/v2/repository/models/${mlp}/load`, { method: "POST", token, body: "{}" });
    expect(load.status).toBe(400);
    expect(load.json.error).toBe(
      `explicit model load is not available: Ferry loads the versions endpoints route to. To serve '${mlp}', create or edit the endpoint in the dashboard or with PUT/DELETE /api/endpoints/{name}`,
    );
    const unload = await planeFetch(plane.port, `/v2/repository/models/${mlp}/unload`, { method: "POST", token, body: "{}" });
    expect(unload.json.error).toMatch(/^explicit model unload is not available: .* To stop serving '.*', change or delete the endpoint/);
    expect((await planeFetch(plane.port, `/v2/repository/models/${mlp}/unload`, { method: "POST", body: "{}" })).status).toBe(401);
    // Nothing was unloaded.
    expect((await planeFetch(plane.port, `/v2/models/${mlp}/ready`, { token })).status).toBe(200);
  });

  it("answers 404 for unknown endpoints, versions and routes", async () => {
    const e = await planeFetch(plane.port, "/v2/models/nope/infer", { method: "POST", token, body: "{}" });
    expect(e.status).toBe(404);
    expect(e.json).toEqual({ error: "endpoint 'nope' not found" });
    const v = await planeFetch(plane.port, `/v2/models/${mlp}/versions/7/infer`, { method: "POST", token, body: "{}" });
    expect(v.status).toBe(404);
    expect(v.json.error).toBe(`version '7' of endpoint '${mlp}' is not served here (served versions: 1)`);
    expect((await planeFetch(plane.port, `/v2/models/${mlp}/versions/7`, { token })).status).toBe(404);
    expect((await planeFetch(plane.port, "/v3/whatever")).status).toBe(404);
  });

  it("requires a bearer token with the infer scope", async () => {
    const body = inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data: rows(1) }]);
    const none = await planeFetch(plane.port, `/v2/models/${mlp}/infer`, { method: "POST", body });
    expect(none.status).toBe(401);
    const bad = await planeFetch(plane.port, `/v2/models/${mlp}/infer`, { method: "POST", body, token: "ferry_not_a_token" });
    expect(bad.status).toBe(401);
    const readOnly = (await makeInferToken(["read"])).secret;
    const forbidden = await planeFetch(plane.port, `/v2/models/${mlp}/infer`, { method: "POST", body, token: readOnly });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json).toEqual({ error: "this token does not have the 'infer' scope" });
  });
});

describe("inference", () => {
  it("answers like onnxruntime called directly, with id, version and header; no content-type needed", async () => {
    const data = rows(3);
    const res = await planeFetch(plane.port, `/v2/models/${mlp}/infer`, {
      method: "POST",
      token,
      body: inferBody([{ name: "x", datatype: "FP32", shape: [3, 32], data }], { id: "req-1" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-ferry-version")).toBe("1");
    expect(res.json.model_name).toBe(mlp);
    expect(res.json.model_version).toBe("1");
    expect(res.json.id).toBe("req-1");
    const direct = await ortDirect(buildMlp({ seed: 1 }), { x: new ort.Tensor("float32", Float32Array.from(data), [3, 32]) });
    expect(res.json.outputs).toEqual([{ name: "probs", datatype: "FP32", shape: [3, 4], data: Array.from(direct.probs.data as Float32Array) }]);
  });

  it("runs two inputs and outputs of different datatypes, and selects outputs", async () => {
    const body = inferBody(
      [
        { name: "a", datatype: "FP32", shape: [2, 4], data: [[1, 5, 2, 0], [0, 0, 3, 1]] },
        { name: "b", datatype: "INT64", shape: [2, 2], data: [10, 20, 1, 2] },
      ],
      { outputs: [{ name: "index" }] },
    );
    const res = await planeFetch(plane.port, `/v2/models/${two}/infer`, { method: "POST", token, body });
    expect(res.status).toBe(200);
    expect(res.json.outputs).toEqual([{ name: "index", datatype: "INT64", shape: [2], data: [31, 5] }]);
  });

  it("answers an output as each row's top classes when asked (Triton's classification extension), in JSON and as binary", async () => {
    const data = rows(3, 5);
    const direct = await ortDirect(buildMlp({ seed: 1 }), { x: new ort.Tensor("float32", Float32Array.from(data), [3, 32]) });
    const probs = Array.from(direct.probs.data as Float32Array);
    // Each row's two highest probabilities, as "<value>:<index>" with Triton's six decimals.
    const top2 = [0, 1, 2].flatMap((r) =>
      [0, 1, 2, 3]
        .sort((a, b) => probs[r * 4 + b] - probs[r * 4 + a] || a - b)
        .slice(0, 2)
        .map((i) => `${probs[r * 4 + i].toFixed(6)}:${i}`),
    );
    const ask = (parameters: Record<string, unknown>) =>
      planeFetch(plane.port, `/v2/models/${mlp}/infer`, { method: "POST", token, body: inferBody([{ name: "x", datatype: "FP32", shape: [3, 32], data }], { outputs: [{ name: "probs", parameters }] }) });
    const json = await ask({ classification: 2 });
    expect(json.status).toBe(200);
    expect(json.json.outputs).toEqual([{ name: "probs", datatype: "BYTES", shape: [3, 2], data: top2 }]);
    const binary = await ask({ classification: 2, binary_data: true });
    const jsonLength = Number(binary.headers.get("inference-header-content-length"));
    const tail = binary.bytes.subarray(jsonLength);
    const strings: string[] = [];
    for (let at = 0; at < tail.length; at += 4 + tail.readUInt32LE(at)) strings.push(tail.toString("utf8", at + 4, at + 4 + tail.readUInt32LE(at)));
    expect(strings).toEqual(top2);
    const named = await planeFetch(plane.port, `/v2/models/${labelled}/infer`, { method: "POST", token, body: inferBody([{ name: "x", datatype: "FP32", shape: [3, 32], data }], { outputs: [{ name: "probs", parameters: { classification: 2 } }] }) });
    const LABELS = ["cat", "dog", "bird"];
    expect(named.json.outputs[0].data).toEqual(top2.map((t) => (LABELS[Number(t.split(":")[1])] ? `${t}:${LABELS[Number(t.split(":")[1])]}` : t)));
    expect(named.json.outputs[0].data.some((t: string) => t.split(":").length === 3)).toBe(true);
    const refused = await ask({ classification: 0 });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe("output 'probs': 'classification' must be a positive integer, the number of classes to answer (got 0)");
  });

  it("serves a scikit-learn classifier exported with a ZipMap: its probabilities as a tensor, its labels as strings, its classes named", async () => {
    const data = rows(2, 3);
    const direct = await ortDirect(buildMlp({ seed: 4, outputs: 3 }), { x: new ort.Tensor("float32", Float32Array.from(data), [2, 32]) });
    const probs = Array.from(direct.probs.data as Float32Array);
    const best = [0, 1].map((r) => [0, 1, 2].reduce((b, c) => (probs[r * 3 + c] > probs[r * 3 + b] ? c : b), 0));
    const meta = await planeFetch(plane.port, `/v2/models/${sklearn}`, { token });
    expect(meta.json.outputs).toEqual([
      { name: "output_label", datatype: "BYTES", shape: [-1] },
      { name: "output_probability", datatype: "FP32", shape: [-1, 3] },
    ]);
    const res = await planeFetch(plane.port, `/v2/models/${sklearn}/infer`, { method: "POST", token, body: inferBody([{ name: "x", datatype: "FP32", shape: [2, 32], data }]) });
    expect(res.status).toBe(200);
    expect(res.json.outputs).toEqual([
      { name: "output_label", datatype: "BYTES", shape: [2], data: best.map((c) => IRIS[c]) },
      { name: "output_probability", datatype: "FP32", shape: [2, 3], data: probs },
    ]);
    const top = await planeFetch(plane.port, `/v2/models/${sklearn}/infer`, {
      method: "POST",
      token,
      body: inferBody([{ name: "x", datatype: "FP32", shape: [2, 32], data }], { outputs: [{ name: "output_probability", parameters: { classification: 1 } }] }),
    });
    expect(top.json.outputs[0].data).toEqual(best.map((c, r) => `${probs[r * 3 + c].toFixed(6)}:${c}:${IRIS[c]}`));
  });

  it("speaks KServe's V1 protocol too: instances in, predictions out, with the V2 routes' checks", async () => {
    const data = rows(3, 7);
    const direct = await ortDirect(buildMlp({ seed: 1 }), { x: new ort.Tensor("float32", Float32Array.from(data), [3, 32]) });
    const probs = Array.from(direct.probs.data as Float32Array);
    const instances = [0, 1, 2].map((r) => data.slice(r * 32, (r + 1) * 32));
    const predict = (endpoint: string, body: unknown, tok = token) =>
      planeFetch(plane.port, `/v1/models/${endpoint}:predict`, { method: "POST", token: tok, body: JSON.stringify(body) });
    const res = await predict(mlp, { instances });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-ferry-version")).toBe("1");
    expect(res.json).toEqual({ predictions: [0, 1, 2].map((r) => probs.slice(r * 4, (r + 1) * 4)) });
    // Several outputs: each row an object of them (the scikit-learn classifier's label and probabilities).
    const iris = await predict(sklearn, { instances: instances.slice(0, 1) });
    expect(iris.json.predictions).toEqual([{ output_label: expect.any(String), output_probability: expect.any(Array) }]);
    expect(IRIS).toContain(iris.json.predictions[0].output_label);
    // Metadata, auth and refusals as on the V2 routes.
    expect((await planeFetch(plane.port, `/v1/models/${mlp}`, { token })).json).toEqual({ name: mlp, ready: true });
    expect((await predict(mlp, { instances }, "")).status).toBe(401);
    expect((await predict("nope", { instances })).status).toBe(404);
    const short = await predict(mlp, { instances: [[1, 2, 3]] });
    expect(short.status).toBe(400);
    expect(short.json.error).toMatch(/^input 'x'/);
    const notJson = await planeFetch(plane.port, `/v1/models/${mlp}:predict`, { method: "POST", token, body: "{instances" });
    expect(notJson.json).toEqual({ error: 'request body is not valid JSON: send {"instances": [row, …]}' });
    expect((await planeFetch(plane.port, `/v1/models/${mlp}:predict`, { token })).status).toBe(405);
    expect((await planeFetch(plane.port, `/v1/models/${mlp}`, { method: "POST", token, body: "{}" })).json).toEqual({ error: "use GET for model metadata" });
  });

  it.each(IDENT_TYPES)("round-trips %s through the plane exactly as onnxruntime does", async (dt) => {
    const values: Record<string, unknown[]> = {
      INT32: [1, -2, 2147483647, -2147483648],
      INT64: [1, -2, 9007199254740991, -5],
      FP64: [0.1, -1e300, 3.5, 0],
      UINT8: [0, 1, 254, 255],
      BOOL: [true, false, false, true],
      FP16: [0.5, -2, 1024, 0],
      BYTES: ["a", "hé", "", "zz"],
    };
    const res = await planeFetch(plane.port, `/v2/models/${idents[dt]}/infer`, {
      method: "POST",
      token,
      body: inferBody([{ name: "x", datatype: dt, shape: [2, 2], data: values[dt] }]),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.outputs[0]).toEqual({ name: "y", datatype: dt, shape: [2, 2], data: values[dt] });
  });
});

describe("compressed bodies (tritonclient's request_compression_algorithm / response_compression_algorithm)", () => {
  const infer = (body: Buffer, headers: Record<string, string>) => planeFetch(plane.port, `/v2/models/${mlp}/infer`, { method: "POST", token, body: body as Uint8Array<ArrayBuffer>, headers });

  it("reads gzip and deflate request bodies, JSON and binary, as the same request uncompressed", async () => {
    const data = rows(40, 6);
    const direct = await ortDirect(buildMlp({ seed: 1 }), { x: new ort.Tensor("float32", Float32Array.from(data), [40, 32]) });
    const want = Array.from(direct.probs.data as Float32Array);
    const json = Buffer.from(inferBody([{ name: "x", datatype: "FP32", shape: [40, 32], data }]));
    for (const [encoding, compress] of [["gzip", zlib.gzipSync], ["deflate", zlib.deflateSync]] as const) {
      const res = await infer(compress(json), { "content-encoding": encoding });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect(res.json.outputs[0].data).toEqual(want);
    }
    // Binary tensors: Inference-Header-Content-Length counts the uncompressed JSON, as in Triton.
    const header = Buffer.from(JSON.stringify({ inputs: [{ name: "x", datatype: "FP32", shape: [40, 32], parameters: { binary_data_size: 40 * 32 * 4 } }] }));
    const binary = await infer(zlib.gzipSync(Buffer.concat([header, Buffer.from(Float32Array.from(data).buffer)])), { "content-encoding": "gzip", "inference-header-content-length": String(header.length) });
    expect(binary.status, JSON.stringify(binary.json)).toBe(200);
    expect(binary.json.outputs[0].data).toEqual(want);
  });

  it("answers gzip when the client accepts it and the answer is worth compressing, as it is otherwise", async () => {
    const body = (n: number) => Buffer.from(inferBody([{ name: "x", datatype: "FP32", shape: [n, 32], data: rows(n, 7) }]));
    // fetch inflates what it receives: the header says how it came.
    const big = await infer(body(100), { "accept-encoding": "gzip, deflate" });
    expect(big.headers.get("content-encoding")).toBe("gzip");
    expect(big.json.outputs[0].shape).toEqual([100, 4]);
    const small = await infer(body(1), { "accept-encoding": "gzip, deflate" });
    expect(small.headers.get("content-encoding")).toBeNull();
    const plain = await infer(body(100), { "accept-encoding": "identity" });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(plain.json.outputs).toEqual(big.json.outputs);
  });

  it("refuses a body that inflates past the limit, corrupt data and an unknown encoding, and serves on", async () => {
    const bomb = await infer(zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20)), { "content-encoding": "gzip" });
    expect(bomb.status).toBe(413);
    expect(bomb.json.error).toBe(`the request body inflates to more than the limit of ${64 * 1024} bytes (FERRY_MAX_REQUEST_BYTES)`);
    const corrupt = await infer(Buffer.from("not gzip at all"), { "content-encoding": "gzip" });
    expect([corrupt.status, corrupt.json.error]).toEqual([400, "the request body is not valid gzip data (Content-Encoding: gzip)"]);
    const br = await infer(Buffer.from("{}"), { "content-encoding": "br" });
    expect([br.status, br.json.error]).toEqual([415, "Content-Encoding 'br' is not supported: send the body as gzip, deflate or identity"]);
    expect((await infer(Buffer.from(inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data: rows(1) }])), {})).status).toBe(200);
  });
});

describe("validation", () => {
  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    planeFetch(plane.port, `/v2/models/${mlp}/infer`, { method: "POST", token, body: body as BodyInit, headers });

  it.each([
    ["element count", inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data: new Array(40).fill(0) }]), "input 'x': expected 32 elements for shape [1,32], got 40"],
    ["missing input", inferBody([]), "input 'x' is missing (expected inputs: x)"],
    ["extra input", inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data: rows(1) }, { name: "z", datatype: "FP32", shape: [1], data: [1] }]), "input 'z' is not an input of the model (expected inputs: x)"],
    ["duplicate input", inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data: rows(1) }, { name: "x", datatype: "FP32", shape: [1, 32], data: rows(1) }]), "input 'x' appears more than once"],
    ["wrong datatype", inferBody([{ name: "x", datatype: "INT32", shape: [1, 32], data: new Array(32).fill(0) }]), "input 'x': datatype INT32 does not match the model's FP32"],
    ["negative dimension", inferBody([{ name: "x", datatype: "FP32", shape: [-1, 32], data: rows(1) }]), "input 'x': shape [-1,32] has a negative dimension"],
    ["non-numeric", inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data: ["a", ...new Array(31).fill(0)] }]), null],
    ["ragged", inferBody([{ name: "x", datatype: "FP32", shape: [2, 32], data: [new Array(32).fill(0), new Array(31).fill(0)] }]), null],
    ["malformed JSON", "{\"inputs\": [", null],
  ])("rejects %s with 400", async (_what, body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(typeof res.json.error).toBe("string");
    if (message) expect(res.json.error).toBe(message);
    expect(res.json.error).not.toMatch(/\/work|node_modules|at .*\(/);
  });

  it("answers 413 for a body over the limit, by Content-Length and while streaming", async () => {
    const big = Buffer.alloc(70 * 1024, 32);
    const res = await post(big);
    expect(res.status).toBe(413);
    const chunked = await fetch(`http://127.0.0.1:${plane.port}/v2/models/${mlp}/infer`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 10; i++) c.enqueue(new Uint8Array(10 * 1024).fill(32));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit).catch((e) => e);
    if (!(chunked instanceof Error)) expect(chunked.status).toBe(413);
  });
});

describe("binary tensor data extension", () => {
  it("accepts binary inputs and answers binary outputs as tritonclient asks", async () => {
    const data = Float32Array.from(rows(2, 3));
    const header = Buffer.from(
      JSON.stringify({
        inputs: [{ name: "x", datatype: "FP32", shape: [2, 32], parameters: { binary_data_size: data.byteLength } }],
        outputs: [{ name: "probs", parameters: { binary_data: true } }],
      }),
    );
    const body = Buffer.concat([header, Buffer.from(data.buffer)]);
    const res = await planeFetch(plane.port, `/v2/models/${mlp}/infer`, {
      method: "POST",
      token,
      body,
      headers: { "content-type": "application/octet-stream", "inference-header-content-length": String(header.length) },
    });
    expect(res.status).toBe(200);
    const jsonLength = Number(res.headers.get("inference-header-content-length"));
    const head = JSON.parse(res.bytes.subarray(0, jsonLength).toString("utf8"));
    expect(head.outputs[0]).toEqual({ name: "probs", datatype: "FP32", shape: [2, 4], parameters: { binary_data_size: 32 } });
    const tail = res.bytes.subarray(jsonLength);
    const got = new Float32Array(tail.buffer.slice(tail.byteOffset, tail.byteOffset + tail.length));
    const direct = await ortDirect(buildMlp({ seed: 1 }), { x: new ort.Tensor("float32", data, [2, 32]) });
    expect(Array.from(got)).toEqual(Array.from(direct.probs.data as Float32Array));
  });
});
