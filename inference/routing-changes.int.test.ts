/**
 * Routing changes through the full stack (issue #5): the control plane's own functions — `putEndpoint` for weights,
 * `promoteVersion` for an alias, as `PUT /api/endpoints/{name}` and `PUT /api/models/{name}/aliases/{alias}` call
 * them — change what a running data plane serves while clients keep sending over HTTP. No request may fail, and each
 * change must show in the answers. A shadow that fails changes neither the answers nor the error counts.
 */
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/record-audit";
import { readArtifactVerified } from "@/lib/artifacts/read-artifact-verified";
import { deleteEndpoint } from "@/lib/endpoints/delete-endpoint";
import { putEndpoint } from "@/lib/endpoints/put-endpoint";
import { promoteVersion } from "@/lib/registry/promote-version";
import { updateVersion } from "@/lib/registry/update-version";
import { buildFailingModel, buildMlp } from "@/lib/onnx/build-model";
import { addVersion, continuousLoad, inferBody, mapConcurrent, metricSum, mlpInput, planeFetch, setUpTestPlane, unique, waitFor, waitForGeneration } from "./data-plane-test-kit";

const operator: Actor = { type: "user", id: "u-routing", label: "routing@ferry.test" };
/** Loads of these models' versions wait until the test lets them go (the artifact is then read as always). */
const heldLoads = new Map<string, Promise<void>>();
const ctx = setUpTestPlane({
  readArtifact: async (ref) => {
    await heldLoads.get(ref.model);
    return readArtifactVerified(ref.storageKey, ref.sha256);
  },
});

const infer = (path: string, data: number[], headers: Record<string, string> = {}) =>
  planeFetch(ctx.plane.port, path, { method: "POST", token: ctx.token, headers, body: inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data }]) });
const metric = (name: string, labels: Record<string, string>) => metricSum(ctx.plane.port, name, labels);

const activeGeneration = (endpoint: string) => ctx.plane.internals.serving.active.get(endpoint)?.generation;

describe("routing changes under continuous load", () => {
  it("saves new weights and promotes the alias the endpoint routes by without failing a request; each change shows in the answers", async () => {
    const db = await getDb();
    const model = unique("load");
    await addVersion(model, buildMlp({ seed: 1 }), { alias: "production" });
    await addVersion(model, buildMlp({ seed: 2 }));
    await addVersion(model, buildMlp({ seed: 3 }));
    const ep = unique("load-ep");
    const variants = (stable: number, candidate: number) => [
      { name: "stable", alias: "production", weight: stable },
      { name: "candidate", version: 2, weight: candidate },
    ];
    const { endpoint } = await putEndpoint({ db, name: ep, actor: operator, body: { model, variants: variants(100, 0) } });
    await waitForGeneration(ctx.plane, ep, endpoint.generation);

    // Each answer is tagged with the generations active when it was sent and when it came back: one that saw the
    // same generation at both ends was routed by that generation's config.
    const load = continuousLoad(4, async (client, i) => {
      const before = activeGeneration(ep);
      const res = await infer(`/v2/models/${ep}/infer`, mlpInput(1, client * 10_000 + i));
      return { before, after: activeGeneration(ep), status: res.status, version: res.json?.model_version as string | undefined, body: res.bytes.toString().slice(0, 300) };
    });
    const answeredAt = (generation: number) => load.results.filter((r) => r.before === generation && r.after === generation);
    const gathered = (generation: number, n: number) => waitFor(() => answeredAt(generation).length >= n, 60_000, `${n} answers at generation ${generation}`);

    try {
      const g0 = endpoint.generation;
      await gathered(g0, 100);

      // (a) The weights, as the routing editor saves them.
      const g1 = (await putEndpoint({ db, name: ep, actor: operator, body: { model, variants: variants(50, 50), generation: g0 } })).endpoint.generation;
      expect(g1).toBe(g0 + 1);
      await waitForGeneration(ctx.plane, ep, g1);
      await gathered(g1, 400);

      // (b) production → v3, as an operator's promotion: v3 is loaded and warmed while v1 keeps serving, then swapped in.
      const v1 = ctx.plane.internals.serving.active.get(ep)!.versions.get(1)!;
      const promoted = await promoteVersion({ db, actor: operator, model, alias: "production", version: 3 });
      expect(promoted).toMatchObject({ status: "moved", fromVersion: 1, endpoints: [ep] });
      const g2 = g1 + 1;
      await waitForGeneration(ctx.plane, ep, g2);
      await gathered(g2, 400);
      await load.stop();

      expect(load.thrown).toEqual([]);
      expect(load.results.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body}`)).toEqual([]);

      const versions = (generation: number) => answeredAt(generation).map((r) => r.version);
      const share = (generation: number, version: string) => versions(generation).filter((v) => v === version).length / versions(generation).length;
      expect(new Set(versions(g0))).toEqual(new Set(["1"]));
      // Random routing, ≥ 400 independent draws at 50 %: the standard deviation of the share is ≤ 2.5 points, so
      // 38–62 % is more than 4.5 standard deviations either side.
      expect(new Set(versions(g1))).toEqual(new Set(["1", "2"]));
      expect(share(g1, "2")).toBeGreaterThan(0.38);
      expect(share(g1, "2")).toBeLessThan(0.62);
      expect(new Set(versions(g2))).toEqual(new Set(["2", "3"]));
      expect(share(g2, "3")).toBeGreaterThan(0.38);
      expect(share(g2, "3")).toBeLessThan(0.62);
      // Nobody routes to v1 any more: it drains and is unloaded.
      await waitFor(() => ctx.plane.internals.sessions.get(v1.id) === undefined, 10_000, "v1 to unload");
    } finally {
      await load.stop();
    }
  });
});

describe("shadow traffic", () => {
  it("changes neither the answers nor the error counts, even when the shadow fails", async () => {
    const db = await getDb();
    const model = unique("shadowed");
    await addVersion(model, buildMlp({ seed: 1 }));
    // The same MLP that fails at run time when x[0] ≥ 8 (and agrees with v1 everywhere else).
    await addVersion(model, buildFailingModel({ seed: 1 }));
    const ep = unique("shadowed-ep");
    // One request per run, so a failing mirrored request cannot take a healthy one down with it.
    const { endpoint } = await putEndpoint({
      db,
      name: ep,
      actor: operator,
      body: { model, variants: [{ name: "main", version: 1, weight: 100 }], shadow: { version: 2, percent: 100 }, batching: { maxBatchSize: 1 } },
    });
    await waitForGeneration(ctx.plane, ep, endpoint.generation);
    const endpointId = (await db.endpoint.findUniqueOrThrow({ where: { name: ep } })).id;

    const n = 40;
    const inputs = Array.from({ length: n }, (_, i) => {
      const data = mlpInput(1, i);
      data[0] = i % 2 === 0 ? 0.5 : 20; // every other request makes the shadow fail
      return data;
    });
    const routed = await Promise.all(inputs.map((data) => infer(`/v2/models/${ep}/infer`, data)));
    // Pinned to v1: never mirrored, so these are the answers without any shadow.
    const pinned = await Promise.all(inputs.map((data) => infer(`/v2/models/${ep}/versions/1/infer`, data)));
    expect(routed.map((r) => r.status)).toEqual(new Array(n).fill(200));
    expect(routed.map((r) => r.json.model_version)).toEqual(new Array(n).fill("1"));
    expect(routed.map((r) => r.json.outputs)).toEqual(pinned.map((r) => r.json.outputs));

    // Every request was mirrored (one run each on v2); the healthy half was compared and agreed, the rest failed quietly.
    const shadowRuns = () => metric("ferry_batch_size_count", { model, version: "2" });
    await waitFor(async () => (await shadowRuns()) === n, 10_000, "every mirrored request to run");
    const rows = async () => db.metricRollup.findMany({ where: { endpointId } });
    const sum = (rs: Awaited<ReturnType<typeof rows>>, version: number, field: "count" | "errors" | "shadowCount" | "shadowAgree") =>
      rs.filter((r) => r.version === version).reduce((s, r) => s + r[field], 0);
    await waitFor(async () => {
      await ctx.plane.internals.recorder.flush();
      return sum(await rows(), 2, "shadowCount") === n / 2;
    }, 10_000, "the shadow comparisons");
    const written = await rows();
    expect(sum(written, 2, "shadowAgree")).toBe(n / 2);
    expect(sum(written, 2, "count")).toBe(0);
    expect(sum(written, 1, "count")).toBe(2 * n);
    expect(written.reduce((s, r) => s + r.errors, 0)).toBe(0);
    expect(await metric("ferry_requests_total", { endpoint: ep })).toBe(2 * n);
    expect(await metric("ferry_requests_total", { endpoint: ep, code: "200" })).toBe(2 * n);
  });

  it("does not fail the shadow version's own traffic when mirrored requests break it", async () => {
    const db = await getDb();
    const model = unique("shared-shadow");
    await addVersion(model, buildMlp({ seed: 1 }));
    await addVersion(model, buildFailingModel({ seed: 1 }));
    const ep = unique("shared-shadow-ep");
    // A canary watched two ways at once: beta testers are served by v2, and everyone else's traffic is mirrored to it.
    const { endpoint } = await putEndpoint({
      db,
      name: ep,
      actor: operator,
      body: {
        model,
        variants: [{ name: "stable", version: 1, weight: 100 }, { name: "candidate", version: 2, weight: 0 }],
        rules: [{ header: "x-segment", equals: "beta", variant: "candidate" }],
        shadow: { version: 2, percent: 100 },
      },
    });
    await waitForGeneration(ctx.plane, ep, endpoint.generation);

    const answers = await mapConcurrent(Array.from({ length: 400 }, (_, i) => i), 8, async (i) => {
      const beta = i % 2 === 0;
      const data = mlpInput(1, i);
      if (!beta) data[0] = 20; // v1 runs it; the mirror on v2 fails
      const res = await infer(`/v2/models/${ep}/infer`, data, beta ? { "x-segment": "beta" } : {});
      return `${beta ? "beta" : "stable"} ${res.status} ${res.json?.model_version ?? res.json?.error}`;
    });
    expect(answers.filter((a) => !/ 200 [12]$/.test(a))).toEqual([]);
    // v2 did stack requests (its own and mirrored ones arrive together), so the answers above were at stake.
    expect(await metric("ferry_batch_size_sum", { model, version: "2" })).toBeGreaterThan(await metric("ferry_batch_size_count", { model, version: "2" }));
    await ctx.plane.internals.recorder.flush();
    const endpointId = (await db.endpoint.findUniqueOrThrow({ where: { name: ep } })).id;
    expect((await db.metricRollup.findMany({ where: { endpointId } })).reduce((s, r) => s + r.errors, 0)).toBe(0);
  });
});

describe("a change while another version is loading", () => {
  it("switches an endpoint whose versions are ready at once, while another endpoint waits for its new version", async () => {
    const db = await getDb();
    const quick = unique("quick");
    await addVersion(quick, buildMlp({ seed: 1 }));
    await addVersion(quick, buildMlp({ seed: 2 }));
    const slow = unique("slow");
    await addVersion(slow, buildMlp({ seed: 3 }));
    await addVersion(slow, buildMlp({ seed: 4 }));
    const weights = (a: number, b: number) => ({ model: quick, variants: [{ name: "a", version: 1, weight: a }, { name: "b", version: 2, weight: b }] });
    const quickEp = unique("quick-ep");
    const slowEp = unique("slow-ep");
    const q0 = (await putEndpoint({ db, name: quickEp, actor: operator, body: weights(100, 0) })).endpoint.generation;
    const s0 = (await putEndpoint({ db, name: slowEp, actor: operator, body: { model: slow, variants: [{ name: "main", version: 1, weight: 1 }] } })).endpoint.generation;
    await waitForGeneration(ctx.plane, quickEp, q0);
    await waitForGeneration(ctx.plane, slowEp, s0);

    let release!: () => void;
    heldLoads.set(slow, new Promise<void>((r) => (release = r)));
    try {
      // The slow endpoint moves to v2, whose load is held: it keeps serving v1 meanwhile.
      const s1 = (await putEndpoint({ db, name: slowEp, actor: operator, body: { model: slow, variants: [{ name: "main", version: 2, weight: 1 }], generation: s0 } })).endpoint.generation;
      const slowId = (await db.endpoint.findUniqueOrThrow({ where: { name: slowEp } })).id;
      const slowRows = () => ctx.plane.internals.serving.report().filter((r) => r.endpointId === slowId).map((r) => `v${r.version} ${r.state} g${r.generation}`).sort();
      await waitFor(() => slowRows().includes(`v2 loading g${s0}`), 10_000, "the slow version to be loading");
      // New weights for the other endpoint: both its versions are ready, so nothing should make it wait.
      const q1 = (await putEndpoint({ db, name: quickEp, actor: operator, body: { ...weights(0, 100), generation: q0 } })).endpoint.generation;
      await waitForGeneration(ctx.plane, quickEp, q1); // waiting behind the held load would never end
      const quickAnswers = await Promise.all([0, 1, 2, 3].map((i) => infer(`/v2/models/${quickEp}/infer`, mlpInput(1, i))));
      expect(quickAnswers.map((r) => `${r.status} ${r.json.model_version}`)).toEqual(["200 2", "200 2", "200 2", "200 2"]);
      const slowAnswer = await infer(`/v2/models/${slowEp}/infer`, mlpInput(1, 9));
      expect(`${slowAnswer.status} ${slowAnswer.json.model_version}`).toBe("200 1");
      expect(ctx.plane.internals.serving.active.get(slowEp)?.generation).toBe(s0);
      // What this instance reports: still routing with the old generation (v1 to be drained once v2 is in), v2 loading.
      expect(slowRows()).toEqual([`v1 draining g${s0}`, `v2 loading g${s0}`]);

      release();
      await waitForGeneration(ctx.plane, slowEp, s1);
      const after = await infer(`/v2/models/${slowEp}/infer`, mlpInput(1, 9));
      expect(`${after.status} ${after.json.model_version}`).toBe("200 2");
      await waitFor(() => slowRows().join() === `v2 ready g${s1}`, 10_000, `the report to show v2 ready at generation ${s1}`);
    } finally {
      release();
      heldLoads.delete(slow);
    }
  });

  it("a deleted endpoint is not served any more (404) and the versions only it served are unloaded; another endpoint's stay", async () => {
    const db = await getDb();
    const model = unique("del");
    await addVersion(model, buildMlp({ seed: 1 }));
    await addVersion(model, buildMlp({ seed: 2 }));
    const gone = unique("del-ep");
    const kept = unique("kept-ep");
    await putEndpoint({ db, name: gone, actor: operator, body: { model, variants: [{ name: "a", version: 1, weight: 1 }, { name: "b", version: 2, weight: 1 }] } });
    await putEndpoint({ db, name: kept, actor: operator, body: { model, variants: [{ name: "main", version: 2, weight: 1 }] } });
    await waitForGeneration(ctx.plane, gone, 1);
    await waitForGeneration(ctx.plane, kept, 1);
    const loaded = () => ctx.plane.internals.sessions.all().filter((e) => e.ref.model === model).map((e) => `v${e.ref.version} ${e.state}`).sort().join(", ");
    expect(loaded()).toBe("v1 ready, v2 ready");
    expect((await infer(`/v2/models/${gone}/infer`, mlpInput(1, 1))).status).toBe(200);

    await deleteEndpoint({ db, name: gone, actor: operator });
    await waitFor(() => !ctx.plane.internals.serving.active.has(gone), 10_000, `the plane to drop ${gone}`);
    const answer = await infer(`/v2/models/${gone}/infer`, mlpInput(1, 1));
    expect(answer.status).toBe(404);
    expect(answer.json.error).toBe(`endpoint '${gone}' not found`);
    expect((await planeFetch(ctx.plane.port, `/v2/models/${gone}/ready`, { token: ctx.token })).status).toBe(404);
    await waitFor(() => loaded() === "v2 ready", 10_000, "v1 to be unloaded");
    const still = await infer(`/v2/models/${kept}/infer`, mlpInput(1, 2));
    expect(`${still.status} ${still.json.model_version}`).toBe("200 2");
  });
});

describe("a version's class labels edited while it serves", () => {
  it("answers with the new labels as soon as they are saved, and without them once removed; labels that do not fit are refused", async () => {
    const db = await getDb();
    const model = unique("labels");
    await addVersion(model, buildMlp({ seed: 5 }));
    const ep = unique("labels-ep");
    const { endpoint } = await putEndpoint({ db, name: ep, actor: operator, body: { model, variants: [{ name: "main", version: 1, weight: 100 }] } });
    await waitForGeneration(ctx.plane, ep, endpoint.generation);
    const top = async () => {
      const body = inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data: mlpInput(1, 9) }], { outputs: [{ name: "probs", parameters: { classification: 4 } }] });
      const res = await planeFetch(ctx.plane.port, `/v2/models/${ep}/infer`, { method: "POST", token: ctx.token, body });
      expect(res.status).toBe(200);
      return res.json.outputs[0].data as string[];
    };
    const plain = await top();
    expect(plain.every((t) => t.split(":").length === 2)).toBe(true);

    // The plane hears of the change (NOTIFY) at once: its resync is a minute away in this suite.
    await updateVersion({ db, actor: operator, name: model, version: 1, patch: { labels: "low\nmid\nhigh\ntop\n" } });
    const named = plain.map((t) => `${t}:${["low", "mid", "high", "top"][Number(t.split(":")[1])]}`);
    await waitFor(async () => (await top()).join() === named.join(), 10_000, "the new labels in the answers");
    const audit = await db.auditEvent.findFirst({ where: { objectId: `${model}@1`, action: "version.update" }, orderBy: { createdAt: "desc" } });
    expect(audit).toMatchObject({ before: { labels: {} }, after: { labels: { probs: 4 } } });

    await expect(updateVersion({ db, actor: operator, name: model, version: 1, patch: { labels: ["only"] } })).rejects.toThrow(
      "class labels: output 'probs' has 4 classes (shape [-1,4]) but the labels file gives it 1 labels",
    );
    expect(await top()).toEqual(named);

    await updateVersion({ db, actor: operator, name: model, version: 1, patch: { labels: null } });
    await waitFor(async () => (await top()).join() === plain.join(), 10_000, "answers without labels");
  });
});
