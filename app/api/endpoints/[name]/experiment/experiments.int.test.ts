import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { call, makeToken } from "@/lib/registry/registry-test-kit";
import { POST as feedbackRoute } from "@/app/api/endpoints/[name]/feedback/route";
import { GET as experimentRoute } from "@/app/api/endpoints/[name]/experiment/route";
import { POST as explainRoute } from "@/app/api/endpoints/[name]/explain/route";
import { computeVariantQuality } from "@/lib/feedback/compute-variant-quality";
import { addRollup, makeEndpoint, uniq } from "@/lib/rollouts/rollout-test-kit";
import { getExperiment } from "@/lib/experiments/get-experiment";

const scores = (cls: number) => ({ probs: { datatype: "FP32", shape: [1, 3], data: [0, 1, 2].map((i) => (i === cls ? 0.8 : 0.1)) } });

describe("feedback, quality and the experiment view", () => {
  it("joins feedback to prediction logs: accuracy per classifier version, MAE per regressor version", async () => {
    const db = await getDb();
    const { endpoint } = await makeEndpoint(db, { config: { model: "x", variants: [{ name: "a", version: 1, weight: 50 }, { name: "b", version: 2, weight: 50 }] } });
    const op = await makeToken("operator");
    const now = new Date();
    const ids: string[] = [];
    // v1 predicts class 1 ten times; v2 predicts class 2 ten times; v3 is a regressor answering 10.
    for (let i = 0; i < 10; i++) {
      for (const [version, outputs] of [[1, scores(1)], [2, scores(2)], [3, { y: { datatype: "FP32", shape: [1, 1], data: [10] } }]] as const) {
        const requestId = uniq(`r${version}`);
        ids.push(requestId);
        await db.predictionLog.create({ data: { logKey: requestId, requestId, endpointId: endpoint.id, version, variant: version === 1 ? "a" : "b", latencyMs: 1, outputs, createdAt: now } });
      }
    }
    // A client that reused the first request id: an older prediction under the same id (class 2, where the truth is 1).
    // Its label must count once, for the newest prediction, and the id once in `matched`.
    await db.predictionLog.create({ data: { logKey: uniq("reused"), requestId: ids[0], endpointId: endpoint.id, version: 1, variant: "a", latencyMs: 1, outputs: scores(2), createdAt: new Date(now.getTime() - 1_000) } });
    const items = ids.map((request_id, i) => {
      const version = (i % 3) + 1;
      if (version === 3) return { request_id, value: 10 + (i % 2 === 0 ? 2 : -1) };
      return { request_id, label: i < 15 ? 1 : 2 }; // the truth is class 1 for the first half, 2 after
    });
    const r = await call(feedbackRoute, { path: `/api/endpoints/${endpoint.name}/feedback`, params: { name: endpoint.name }, method: "POST", token: op, json: { items: [...items, { request_id: "not-logged-yet", label: 0 }] } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ received: 31, stored: 31, skipped: 0, matched: 30 });
    // A single item and a bare array work too; a relabel replaces the earlier label.
    const single = await call(feedbackRoute, { path: "/", params: { name: endpoint.name }, method: "POST", token: op, json: { request_id: ids[0], label: "1" } });
    expect(single.body).toMatchObject({ received: 1, stored: 1, matched: 1 });
    const viewer = await makeToken("viewer");
    expect((await call(feedbackRoute, { path: "/", params: { name: endpoint.name }, method: "POST", token: viewer, json: [{ request_id: ids[0], label: 1 }] })).status).toBe(403);
    expect((await call(feedbackRoute, { path: "/", params: { name: endpoint.name }, method: "POST", token: op, json: [{ request_id: ids[0] }] })).status).toBe(400);

    const quality = await computeVariantQuality({ db, endpointName: endpoint.name, from: new Date(now.getTime() - 60_000), to: new Date(now.getTime() + 60_000) });
    const byVersion = Object.fromEntries(quality.map((q) => [q.version, q]));
    // v1: items i = 0,3,…,27 (version 1), truth 1 for i < 15 → 5 of 10 correct. v2: i = 1,…,28, truth 2 for i ≥ 15 → 5 correct.
    expect(byVersion[1]).toMatchObject({ kind: "classification", n: 10, correct: 5, accuracy: 0.5, variants: ["a"] });
    expect(byVersion[2]).toMatchObject({ kind: "classification", n: 10, correct: 5, accuracy: 0.5 });
    expect(byVersion[3].kind).toBe("regression");
    expect(byVersion[3].n).toBe(10);
    expect(byVersion[3].mae).toBeCloseTo(1.5, 10);
    expect(await db.auditEvent.count({ where: { action: "feedback.submit", objectId: endpoint.name } })).toBe(2);
  });

  it("counts a classifier right when the feedback gives its class's label, for a version uploaded with labels", async () => {
    const db = await getDb();
    const { endpoint, versions } = await makeEndpoint(db, { versions: 2 });
    const signature = versions[0].signature as object;
    await db.modelVersion.update({ where: { id: versions[0].id }, data: { signature: { ...signature, labels: { probs: ["legit", "review", "fraud"] } } } });
    const op = await makeToken("operator");
    const now = new Date();
    const items: { request_id: string; label: string }[] = [];
    // Both versions predict class 2 four times; the truth is "fraud" (its label) twice and "2" (its index) twice.
    for (const version of [1, 2]) {
      for (let i = 0; i < 4; i++) {
        const requestId = uniq(`l${version}`);
        await db.predictionLog.create({ data: { logKey: requestId, requestId, endpointId: endpoint.id, version, variant: "stable", latencyMs: 1, outputs: scores(2), createdAt: now } });
        items.push({ request_id: requestId, label: i < 2 ? "fraud" : "2" });
      }
    }
    expect((await call(feedbackRoute, { path: "/", params: { name: endpoint.name }, method: "POST", token: op, json: items })).status).toBe(200);
    const quality = await computeVariantQuality({ db, endpointName: endpoint.name, from: new Date(now.getTime() - 60_000), to: new Date(now.getTime() + 60_000) });
    const byVersion = Object.fromEntries(quality.map((q) => [q.version, q]));
    expect(byVersion[1]).toMatchObject({ n: 4, correct: 4, accuracy: 1 });
    // v2 has no labels: "fraud" names nothing it can predict.
    expect(byVersion[2]).toMatchObject({ n: 4, correct: 2, accuracy: 0.5 });
    // The experiment view's output classes are named by the same labels.
    const experiment = await getExperiment({ db, endpointName: endpoint.name, from: new Date(now.getTime() - 60_000), to: new Date(now.getTime() + 60_000) });
    expect(Object.fromEntries(experiment.versions.map((v) => [v.version, v.outputs?.counts]))).toEqual({ 1: [{ label: "fraud", count: 4 }], 2: [{ label: "2", count: 4 }] });
  });

  it("aggregates rollups per version across instances and runs the sequential test on error rate", async () => {
    const db = await getDb();
    const { endpoint } = await makeEndpoint(db, { config: { model: "x", variants: [{ name: "stable", alias: "production", weight: 80 }, { name: "candidate", version: 2, weight: 20 }, { name: "shadowed", version: 3, weight: 0 }] } });
    const base = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000);
    for (let m = 0; m < 10; m++) {
      const minute = new Date(base.getTime() + m * 60_000);
      await addRollup(db, { endpointId: endpoint.id, version: 1, minute, count: 400, errors: 40, latencyMs: 4, instanceId: "p1", outputCounts: { "0": 300, "1": 100 } });
      await addRollup(db, { endpointId: endpoint.id, version: 1, minute, count: 400, errors: 40, latencyMs: 4, instanceId: "p2" });
      await addRollup(db, { endpointId: endpoint.id, version: 2, minute, count: 200, errors: 2, latencyMs: 40, instanceId: "p1" });
      await addRollup(db, { endpointId: endpoint.id, version: 3, minute, count: 0, instanceId: "p1", shadowCount: 100, shadowAgree: 90 });
    }
    await db.predictionLog.create({ data: { logKey: uniq("log"), requestId: uniq("log"), endpointId: endpoint.id, version: 2, latencyMs: 1, outputs: scores(2), createdAt: new Date(base.getTime() + 60_000) } });

    const exp = await getExperiment({ db, endpointName: endpoint.name, from: base, to: new Date(base.getTime() + 10 * 60_000) });
    const v = Object.fromEntries(exp.versions.map((x) => [x.version, x]));
    expect(v[1]).toMatchObject({ variants: ["stable"], arm: "A", requests: 8000, errors: 800, errorRate: 0.1, share: 0.8 });
    expect(v[1].p95Ms).toBeGreaterThan(3);
    expect(v[1].p95Ms).toBeLessThanOrEqual(5);
    expect(v[1].outputs).toEqual({ source: "rollups", counts: [{ label: "0", count: 3000 }, { label: "1", count: 1000 }] });
    expect(v[2]).toMatchObject({ variants: ["candidate"], arm: "B", requests: 2000, errors: 20, errorRate: 0.01 });
    expect(v[2].p50Ms).toBeGreaterThan(30);
    expect(v[2].outputs).toEqual({ source: "prediction_log", counts: [{ label: "2", count: 1 }] });
    expect(v[3]).toMatchObject({ requests: 0, shadow: { count: 1000, agreement: 0.9 } });
    expect(exp.test).toMatchObject({ metric: "error_rate", verdict: "B is better", looks: 10, armA: { version: 1 }, armB: { version: 2 } });
    expect(exp.test!.pValue).toBeLessThan(0.05);
    expect(exp.test!.ci[1]).toBeLessThan(0);

    const viewer = await makeToken("viewer");
    const r = await call(experimentRoute, { path: `/api/endpoints/${endpoint.name}/experiment?from=${base.getTime()}&to=${base.getTime() + 600_000}`, params: { name: endpoint.name }, token: viewer });
    expect(r.status).toBe(200);
    expect(r.body.test.verdict).toBe("B is better");
    const bad = await call(experimentRoute, { path: `/api/endpoints/${endpoint.name}/experiment?from=yesterday`, params: { name: endpoint.name }, token: viewer });
    expect(bad.status).toBe(400);
    // An identical pair of arms with little traffic: no verdict yet.
    const { endpoint: quiet } = await makeEndpoint(db, { config: { model: "x", variants: [{ name: "a", version: 1, weight: 50 }, { name: "b", version: 2, weight: 50 }] } });
    await addRollup(db, { endpointId: quiet.id, version: 1, minute: base, count: 50, errors: 1 });
    await addRollup(db, { endpointId: quiet.id, version: 2, minute: base, count: 50, errors: 1 });
    expect((await getExperiment({ db, endpointName: quiet.name, from: base, to: new Date(base.getTime() + 60_000) })).test?.verdict).toBe("no difference yet");
  });

  it("explains which version a sample request goes to, for the saved config and for a draft", async () => {
    const db = await getDb();
    const { endpoint, model } = await makeEndpoint(db, {
      config: {
        model: "x",
        variants: [{ name: "stable", alias: "production", weight: 100 }, { name: "candidate", version: 3, weight: 0 }],
        rules: [{ header: "x-segment", equals: "beta", variant: "candidate" }],
      },
    });
    const viewer = await makeToken("viewer", ["read"]);
    const path = `/api/endpoints/${endpoint.name}/explain`;
    const beta = await call(explainRoute, { path, params: { name: endpoint.name }, method: "POST", token: viewer, json: { headers: { "X-Segment": "beta" } } });
    expect(beta.status).toBe(200);
    expect(beta.body).toMatchObject({ variant: "candidate", version: 3, reason: "rule", draft: false });
    expect(beta.body.summary).toContain("this request goes to candidate (v3)");
    const other = await call(explainRoute, { path, params: { name: endpoint.name }, method: "POST", token: viewer, json: { headers: { "x-segment": "alpha" } } });
    expect(other.body).toMatchObject({ variant: "stable", version: 1, reason: "weight" });
    const draft = { model: model.name, variants: [{ name: "stable", alias: "production", weight: 100 }], sticky: { header: "x-user" } };
    const d = await call(explainRoute, { path, params: { name: endpoint.name }, method: "POST", token: viewer, json: { headers: { "x-user": "u1" }, config: draft } });
    expect(d.body).toMatchObject({ variant: "stable", reason: "sticky", draft: true });
    const invalid = await call(explainRoute, { path, params: { name: endpoint.name }, method: "POST", token: viewer, json: { headers: {}, config: { ...draft, variants: [] } } });
    expect(invalid.status).toBe(400);
  });
});
