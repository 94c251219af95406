import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { buildMlp } from "@/lib/onnx/build-model";
import { call, makeToken } from "@/lib/registry/registry-test-kit";
import { addVersion, freePort, unique, waitFor, quietLogger } from "@/inference/data-plane-test-kit";
import { startDataPlane, type DataPlane } from "@/inference/start-data-plane";
import { DELETE, GET as getOne, PUT } from "./[name]/route";
import { SETTING_KINDS, SETTING_SPECS } from "@/lib/settings/endpoint-settings";
import { GET as list } from "./route";
import { tryEndpoint } from "@/lib/endpoints/try-endpoint";
import { POST as tryRoute } from "./[name]/try/route";
import fc from "fast-check";

// A port for the data plane the Try-it route reaches through the configuration (read once).
const planePort = await freePort();
process.env.FERRY_INFERENCE_URL = `http://127.0.0.1:${planePort}`;

let operator: string;
let viewer: string;
let plane: DataPlane | undefined;
const model = unique("ep-model");
const name = unique("ep");

const put = (endpoint: string, json: unknown, token = operator) => call(PUT, { path: `/api/endpoints/${endpoint}`, params: { name: endpoint }, method: "PUT", token, json });

beforeAll(async () => {
  operator = await makeToken("operator");
  viewer = await makeToken("viewer", ["read"]);
  await addVersion(model, buildMlp({ seed: 1 }), { alias: "production" });
  await addVersion(model, buildMlp({ seed: 2 }));
});

afterAll(async () => {
  await plane?.close();
});

describe("PUT /api/endpoints/{name}", () => {
  const body = { model, variants: [{ name: "stable", alias: "production", weight: 80 }, { name: "candidate", version: 2, weight: 20 }] };

  it("creates an endpoint, audits it and resolves its variants", async () => {
    const res = await put(name, body);
    expect(res.status).toBe(201);
    expect(res.body.generation).toBe(1);
    expect(res.body.variants.map((v: { name: string; share: number; resolvedVersion: number }) => [v.name, v.share, v.resolvedVersion])).toEqual([
      ["stable", 0.8, 1],
      ["candidate", 0.2, 2],
    ]);
    const db = await getDb();
    const audit = await db.auditEvent.findFirst({ where: { action: "endpoint.create", objectId: name } });
    expect(audit?.after).toMatchObject({ generation: 1 });
  });

  it("refuses stale or missing generations with 409 and accepts the current one", async () => {
    const missing = await put(name, body);
    expect(missing.status).toBe(409);
    const ok = await put(name, { ...body, generation: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body.generation).toBe(2);
    const stale = await put(name, { ...body, generation: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toBe("the endpoint changed since you loaded it (generation 2)");
    const db = await getDb();
    const update = await db.auditEvent.findFirst({ where: { action: "endpoint.update", objectId: name } });
    expect(update?.before).toMatchObject({ generation: 1 });
  });

  it("explains what is wrong with a body", async () => {
    const bad = await put(unique("ep"), { model, variants: [{ name: "a", version: 1, weight: -1 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("variants[0].weight: must be ≥ 0");
    const noAlias = await put(unique("ep"), { model, variants: [{ name: "a", alias: "staging", weight: 1 }] });
    expect(noAlias.status).toBe(400);
    expect(noAlias.body.error).toContain('has no alias "staging"');
    const noModel = await put(unique("ep"), { model: "no-such-model", variants: [{ name: "a", version: 1, weight: 1 }] });
    expect(noModel.status).toBe(400);
    const db = await getDb();
    const m = await db.model.findUniqueOrThrow({ where: { name: model } });
    await db.modelVersion.create({ data: { modelId: m.id, version: 3, status: "validating", sha256: "0".repeat(64), sizeBytes: 1n, storageKey: `sha256/00/${"0".repeat(64)}` } });
    const notReady = await put(unique("ep"), { model, variants: [{ name: "a", version: 3, weight: 1 }] });
    expect(notReady.status).toBe(409);
    expect(notReady.body.error).toBe(`version 3 of model "${model}" is validating, not ready: only ready versions can take traffic`);
  });

  it("refuses to create an endpoint named 'new' (the dashboard's form for a new endpoint lives at /endpoints/new)", async () => {
    const res = await put("new", body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("the endpoint name 'new' is reserved: it is the address of the dashboard's form for creating one; choose another");
    const db = await getDb();
    expect(await db.endpoint.count({ where: { name: "new" } })).toBe(0);
  });

  it("refuses to create an endpoint named 'stats' (GET /v2/models/stats is the statistics of every endpoint)", async () => {
    const res = await put("stats", body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(
      "the endpoint name 'stats' is reserved: /v2/models/stats is the data plane's statistics of every endpoint (Triton's statistics extension); choose another",
    );
    const db = await getDb();
    expect(await db.endpoint.count({ where: { name: "stats" } })).toBe(0);
  });

  it("needs the operator role", async () => {
    expect((await put(unique("ep"), body, viewer)).status).toBe(403);
  });
});

describe("DELETE /api/endpoints/{name}", () => {
  const del = (endpoint: string, token = operator) => call(DELETE, { path: `/api/endpoints/${endpoint}`, params: { name: endpoint }, method: "DELETE", token });
  const body = { model, description: "to be deleted", variants: [{ name: "only", version: 2, weight: 100 }] };

  it("removes the endpoint with its settings and alerts, audits its last config, keeps the model, and a new one of the name starts afresh", async () => {
    const db = await getDb();
    const doomed = unique("ep-del");
    expect((await put(doomed, body)).status).toBe(201);
    const row = await db.endpoint.findUniqueOrThrow({ where: { name: doomed } });
    for (const kind of SETTING_KINDS) await db.setting.create({ data: { key: SETTING_SPECS[kind].key(doomed), value: {} } });
    await db.alert.create({ data: { endpointId: row.id, signal: "latency", title: "p95 above 100 ms" } });

    const res = await del(doomed);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deleted: { name: doomed, model, generation: 1 } });
    expect(await db.endpoint.findUnique({ where: { name: doomed } })).toBeNull();
    expect(await db.alert.count({ where: { endpointId: row.id } })).toBe(0);
    expect(await db.setting.count({ where: { key: { in: SETTING_KINDS.map((k) => SETTING_SPECS[k].key(doomed)) } } })).toBe(0);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "endpoint.delete", objectId: doomed } });
    expect(audit.before).toMatchObject({ generation: 1, model, description: "to be deleted", config: { variants: body.variants } });
    expect(Object.keys((audit.before as { settings: object }).settings)).toHaveLength(SETTING_KINDS.length);
    expect(await db.model.findUnique({ where: { name: model } })).not.toBeNull();
    expect((await call(getOne, { path: `/api/endpoints/${doomed}`, params: { name: doomed }, token: viewer })).status).toBe(404);

    // Gone: a second delete is a 404; the name is free again, at generation 1, without the old timeline.
    const again = await del(doomed);
    expect(again.status).toBe(404);
    expect(again.body.error).toBe(`endpoint '${doomed}' not found`);
    const recreated = await put(doomed, body);
    expect(recreated.status).toBe(201);
    expect(recreated.body.generation).toBe(1);
    expect(recreated.body.events.map((e: { message: string }) => e.message)).toEqual(["endpoint created (generation 1)"]);
  });

  it("needs the operator role, and a refused delete changes nothing", async () => {
    const kept = unique("ep-kept");
    expect((await put(kept, body)).status).toBe(201);
    expect((await del(kept, viewer)).status).toBe(403);
    expect(await (await getDb()).endpoint.findUnique({ where: { name: kept } })).not.toBeNull();
  });
});

describe("reading endpoints and their data-plane state", () => {
  it("lists endpoints and shows each variant's state per data-plane instance; Try it goes through the plane", async () => {
    plane = await startDataPlane({ logger: quietLogger, shutdownGraceMs: 200, host: "127.0.0.1", port: planePort, workers: 1, databaseUrl: null, instanceId: "test-instance" });
    const listed = await call(list, { path: "/api/endpoints", params: {}, token: viewer });
    expect(listed.status).toBe(200);
    expect(listed.body.endpoints.some((e: { name: string }) => e.name === name)).toBe(true);
    await waitFor(async () => {
      const r = await call(getOne, { path: `/api/endpoints/${name}`, params: { name }, token: viewer });
      return r.body.variants.every((v: { states: { instanceId: string; state: string }[] }) => v.states.some((s) => s.instanceId === "test-instance" && s.state === "ready"));
    }, 10_000, "ready states");

    const result = await tryEndpoint({
      db: await getDb(),
      name,
      baseUrl: `http://127.0.0.1:${plane.port}`,
      body: { inputs: [{ name: "x", datatype: "FP32", shape: [1, 32], data: new Array(32).fill(0.1) }] },
      headers: { authorization: "Bearer nope", "x-anything": "1" },
    });
    expect(result.status).toBe(200);
    expect(["1", "2"]).toContain(result.servedVersion);
    expect((result.body as { outputs: { shape: number[] }[] }).outputs[0].shape).toEqual([1, 4]);
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it("the Try-it route answers any body with a readable error, and the plane keeps serving", async () => {
    const tryer = await makeToken("operator", ["read", "infer"]);
    const send = (o: { json?: unknown; body?: string }) =>
      call(tryRoute, { path: `/api/endpoints/${name}/try`, params: { name }, method: "POST", token: tryer, ...(o.body !== undefined ? { body: o.body, headers: { "content-type": "application/json" } } : { json: o.json }) });
    const readable = (error: unknown, what: string) => {
      expect(typeof error, what).toBe("string");
      expect(error, what).not.toMatch(/\n\s+at |\/work\/|\.ts\b|node_modules|\[object Object\]/);
    };
    // Not a Try-it body at all: the route's own 400.
    for (const body of ["", "{", "nope", '{"request":', "[1,2]", '{"request":"x"}', '{"request":[1]}']) {
      const r = await send({ body });
      expect(r.status, body).toBe(400);
      readable(r.body.error, body);
    }
    // A Try-it body whose request is no inference request: the data plane's 4xx, with its message, passed through.
    const empty = await send({ json: { request: {} } });
    expect(empty.status).toBe(200);
    expect(empty.body.status).toBe(400);
    expect(empty.body.body.error).toMatch(/inputs/);
    const requests = fc.sample(
      fc.oneof(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
        fc.record({ inputs: fc.array(fc.dictionary(fc.constantFrom("name", "datatype", "shape", "data", "parameters"), fc.jsonValue({ maxDepth: 2 })), { maxLength: 2 }) }),
      ),
      { numRuns: 60, seed: 7 },
    );
    for (const request of requests) {
      const r = await send({ json: { request } });
      const what = JSON.stringify(request).slice(0, 200);
      expect(r.status, what).toBe(200);
      expect(r.body.status, what).toBeGreaterThanOrEqual(400);
      expect(r.body.status, what).toBeLessThan(500);
      readable((r.body.body as { error?: unknown }).error, what);
    }
    const ok = await send({ json: { request: { inputs: [{ name: "x", datatype: "FP32", shape: [1, 32], data: new Array(32).fill(0.5) }] } } });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe(200);
    expect(["1", "2"]).toContain(ok.body.servedVersion);
  });
});
