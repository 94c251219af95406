/**
 * `GET /api/endpoints/{name}/predictions` against what a running data plane really logged (sample rate 1): the
 * inputs the clients sent and the outputs they got back, decoded; pages that cover every row once; filters; ground
 * truth joined by request id; the JSON Lines download; readable 4xx for bad queries.
 */
import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { putEndpoint } from "@/lib/endpoints/put-endpoint";
import { submitFeedback } from "@/lib/feedback/submit-feedback";
import { buildMlp } from "@/lib/onnx/build-model";
import { call, makeToken } from "@/lib/registry/registry-test-kit";
import { addVersion, inferBody, mlpInput, planeFetch, setUpTestPlane, unique, waitFor, waitForGeneration } from "@/inference/data-plane-test-kit";
import { GET } from "./route";

const actor: Actor = { type: "user", id: "u-predictions", label: "predictions@ferry.test" };
const ctx = setUpTestPlane({ logSampleRate: 1, logMaxPerSecond: Infinity });

type Tensor = { name: string; values: number[] };
type Prediction = { requestId: string; version: number; variant: string; status: number; inputs: Tensor[]; outputs: Tensor[]; predictedClass: { index: number; label: string | null } | null; feedback: { label: string | null } | null };

describe("GET /api/endpoints/{name}/predictions", () => {
  it("shows what the data plane logged, page by page, filtered, with ground truth, and as a download", async () => {
    const db = await getDb();
    const operator = await makeToken("operator");
    const model = unique("pred");
    // v1 has class labels: its predictions are named by them.
    const LABELS = ["north", "east", "south", "west"];
    await addVersion(model, buildMlp({ seed: 1 }), { labels: { probs: LABELS } });
    await addVersion(model, buildMlp({ seed: 2 }));
    const ep = unique("pred-ep");
    await putEndpoint({ db, name: ep, actor, body: { model, variants: [{ name: "one", version: 1, weight: 1 }, { name: "two", version: 2, weight: 1 }] } });
    await waitForGeneration(ctx.plane, ep, 1);

    // Seven requests, one at a time so that their log rows are written in order; each answer kept to compare.
    const rid = (i: number) => `${ep}-req-${i}`;
    const sent = new Map<string, { input: number[]; output: number[]; version: number }>();
    for (let i = 0; i < 7; i++) {
      const input = mlpInput(1, i);
      const res = await planeFetch(ctx.plane.port, `/v2/models/${ep}/infer`, { method: "POST", token: ctx.token, body: inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data: input }], { id: rid(i) }) });
      expect(res.status).toBe(200);
      const answer = res.json as { model_version: string; outputs: { data: number[] }[] };
      sent.set(rid(i), { input, output: answer.outputs[0].data, version: Number(answer.model_version) });
      await new Promise((r) => setTimeout(r, 5));
    }
    const endpointId = (await db.endpoint.findUniqueOrThrow({ where: { name: ep } })).id;
    await waitFor(async () => (await db.predictionLog.count({ where: { endpointId } })) === 7, 15_000, "the seven log rows");

    const get = async (query: string, token = operator) => call(GET, { path: `/api/endpoints/${ep}/predictions${query}`, params: { name: ep }, token });
    const all = await get("");
    expect(all.status).toBe(200);
    const predictions = all.body.predictions as Prediction[];
    expect(predictions.map((p) => p.requestId)).toEqual([6, 5, 4, 3, 2, 1, 0].map(rid));
    for (const p of predictions) {
      const s = sent.get(p.requestId)!;
      expect(p.version).toBe(s.version);
      expect(p.variant).toBe(s.version === 1 ? "one" : "two");
      expect(p.status).toBe(200);
      expect(p.inputs.map((t) => t.name)).toEqual(["x"]);
      // FP32 values come back as the shortest decimals of the same float32s.
      expect(Float32Array.from(p.inputs[0].values)).toEqual(Float32Array.from(s.input));
      expect(Float32Array.from(p.outputs[0].values)).toEqual(Float32Array.from(s.output));
      expect(Math.max(...p.inputs[0].values.map((v) => String(v).length))).toBeLessThanOrEqual(15);
      const best = s.output.indexOf(Math.max(...s.output));
      expect(p.predictedClass).toEqual({ index: best, label: s.version === 1 ? LABELS[best] : null });
    }
    expect(all.body.nextCursor).toBeNull();

    // Pages of three cover every row once, in the same order.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      paged.push(...(res.body.predictions as Prediction[]).map((p) => p.requestId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(predictions.map((p) => p.requestId));

    // Filters.
    const v2 = [...sent].filter(([, s]) => s.version === 2).map(([id]) => id).reverse();
    expect(((await get("?version=2")).body.predictions as Prediction[]).map((p) => p.requestId)).toEqual(v2);
    expect((await get("?outcome=error")).body.predictions).toEqual([]);
    expect((await get(`?from=${new Date(Date.now() + 60_000).toISOString()}`)).body.predictions).toEqual([]);
    const one = (await get(`?requestId=${rid(4)}`)).body.predictions as Prediction[];
    expect(one).toEqual(predictions.filter((p) => p.requestId === rid(4)));
    expect((await get(`?requestId=${rid(44)}`)).body.predictions).toEqual([]);
    const otherVersion = sent.get(rid(4))!.version === 1 ? 2 : 1;
    expect((await get(`?requestId=${rid(4)}&version=${otherVersion}`)).body.predictions).toEqual([]);

    // Ground truth sent later is joined by request id.
    await submitFeedback({ db, actor, endpointName: ep, items: [{ request_id: rid(3), label: "fraud" }] });
    const withTruth = (await get("")).body.predictions as Prediction[];
    expect(withTruth.filter((p) => p.feedback).map((p) => [p.requestId, p.feedback!.label])).toEqual([[rid(3), "fraud"]]);

    // The download: one prediction per line, newest first, as many as asked for.
    const file = await get("?format=jsonl&limit=5");
    expect(file.status).toBe(200);
    expect(file.res.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(file.res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="${ep}-predictions-.*\\.jsonl"$`));
    const lines = (await file.res.text()).trimEnd().split("\n").map((l) => JSON.parse(l) as Prediction);
    expect(lines).toEqual(withTruth.slice(0, 5));

    // Bad queries get a readable 400; an unknown endpoint a 404; viewers are refused (inputs can hold personal data).
    const bad = async (query: string) => {
      const res = await get(query);
      expect(res.status, query).toBe(400);
      expect(typeof res.body.error, query).toBe("string");
      return res.body.error as string;
    };
    expect(await bad("?cursor=bm9wZQ")).toBe("cursor: not a cursor this API gave out (use nextCursor of the previous page)");
    expect(await bad("?limit=500")).toBe("limit: at most 200 rows a page (a format=jsonl download takes up to 10000)");
    await bad("?version=two");
    await bad("?format=csv");
    await bad("?from=yesterday");
    await bad(`?requestId=${"x".repeat(201)}`);
    const missing = await call(GET, { path: "/api/endpoints/nope/predictions", params: { name: "nope" }, token: operator });
    expect(missing.status).toBe(404);
    expect((await get("", await makeToken("viewer", ["read"]))).status).toBe(403);
    // A download of an unknown endpoint is a 404 too, not an empty file.
    expect((await call(GET, { path: "/api/endpoints/nope/predictions?format=jsonl", params: { name: "nope" }, token: operator })).status).toBe(404);

    // A client sending an empty id gets it echoed, and its requests are logged under the plane's own ids (an empty id
    // would otherwise be one key for every such request, and all but the first would be dropped).
    for (let i = 0; i < 2; i++) {
      const res = await planeFetch(ctx.plane.port, `/v2/models/${ep}/infer`, { method: "POST", token: ctx.token, body: inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data: mlpInput(1, i) }], { id: "" }) });
      expect((res.json as { id: string }).id).toBe("");
    }
    await waitFor(async () => (await db.predictionLog.count({ where: { endpointId } })) === 9, 15_000, "the two rows of requests with an empty id");
    const unnamed = ((await get("?limit=2")).body.predictions as Prediction[]).map((p) => p.requestId);
    expect(unnamed.every((id) => id.length > 0 && !id.startsWith(`${ep}-req-`))).toBe(true);
    expect(new Set(unnamed).size).toBe(2);

    // A client that sends the same id every time keeps every sampled row: three rows under one request id, each with
    // its own log row id and its own input, the ground truth for that id shown on each, and `matched` counting it once.
    const reused = `${ep}-same`;
    const reusedInputs: number[][] = [];
    for (let i = 0; i < 3; i++) {
      const input = mlpInput(1, 100 + i);
      reusedInputs.push(input);
      const res = await planeFetch(ctx.plane.port, `/v2/models/${ep}/infer`, { method: "POST", token: ctx.token, body: inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data: input }], { id: reused }) });
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(async () => (await db.predictionLog.count({ where: { endpointId } })) === 12, 15_000, "the three rows of a reused request id");
    expect(await submitFeedback({ db, actor, endpointName: ep, items: [{ request_id: reused, label: "ok" }] })).toMatchObject({ stored: 1, matched: 1 });
    const same = (await get(`?requestId=${reused}`)).body.predictions as (Prediction & { id: string })[];
    expect(same.map((p) => Float32Array.from(p.inputs[0].values))).toEqual([2, 1, 0].map((i) => Float32Array.from(reusedInputs[i])));
    expect(new Set(same.map((p) => p.id)).size).toBe(3);
    expect(same.map((p) => p.feedback?.label)).toEqual(["ok", "ok", "ok"]);
  });
});
