/**
 * Guarded canaries judged on real traffic (issue #5): versions uploaded through the registry, a rollout started with
 * `startRollout`, requests sent over HTTP to a running data plane, its recorder's rollups flushed to the database,
 * then the guard (`runRolloutGuards`) deciding. A candidate that fails at run time on some inputs is rolled back with
 * the alert, audit trail and timeline; a healthy one advances step by step to 100 % and is promoted.
 */
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/record-audit";
import { putEndpoint } from "@/lib/endpoints/put-endpoint";
import { promoteVersion } from "@/lib/registry/promote-version";
import { buildFailingModel, buildMlp } from "@/lib/onnx/build-model";
import { inferBody, mapConcurrent, mlpInput, planeFetch, setUpTestPlane, unique, uploadModelVersion, waitForGeneration } from "@/inference/data-plane-test-kit";
import { startRollout } from "./start-rollout";
import { runRolloutGuards } from "./run-rollout-guards";
import { weights } from "./rollout-test-kit";

const operator: Actor = { type: "user", id: "u-canary", label: "canary@ferry.test" };
const ctx = setUpTestPlane();

/** A model with a stable version (production) and a candidate, both uploaded and validated, and an endpoint on production. */
async function canaryEndpoint(candidateBytes: Uint8Array) {
  const db = await getDb();
  const model = unique("canary");
  const stable = await uploadModelVersion(model, buildMlp({ seed: 1 }));
  await promoteVersion({ db, actor: operator, model, alias: "production", version: stable });
  const candidate = await uploadModelVersion(model, candidateBytes);
  const name = unique("canary-ep");
  await putEndpoint({ db, name, actor: operator, body: { model, variants: [{ name: "stable", alias: "production", weight: 100 }] } });
  const endpoint = await db.endpoint.findUniqueOrThrow({ where: { name } });
  return { model, name, endpointId: endpoint.id, stable, candidate };
}

/** Waits until the plane serves the endpoint's current generation; returns its config. */
async function served(name: string) {
  const row = await (await getDb()).endpoint.findUniqueOrThrow({ where: { name } });
  await waitForGeneration(ctx.plane, name, row.generation);
  return row.config;
}

/** `n` requests over HTTP, 4 at a time; `poisoned(i)` sets x[0] = 20, which the failing model cannot run. */
function send(name: string, n: number, poisoned: (i: number) => boolean = () => false) {
  return mapConcurrent(
    Array.from({ length: n }, (_, i) => i),
    4,
    async (i) => {
      const data = mlpInput(1, i);
      if (poisoned(i)) data[0] = 20;
      const res = await planeFetch(ctx.plane.port, `/v2/models/${name}/infer`, { method: "POST", token: ctx.token, body: inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data }]) });
      return { poisoned: poisoned(i), status: res.status, version: res.json?.model_version as string | undefined, error: res.json?.error as string | undefined };
    },
  );
}

async function rollupTotals(endpointId: string, version: number) {
  const rows = await (await getDb()).metricRollup.findMany({ where: { endpointId, version } });
  return { count: rows.reduce((s, r) => s + r.count, 0), errors: rows.reduce((s, r) => s + r.errors, 0) };
}

const guardOutcome = async (name: string, now: Date) => (await runRolloutGuards({ db: await getDb(), now })).find((o) => o.endpoint === name);

describe("canary rollouts on real traffic", () => {
  it("rolls back a candidate that fails on some inputs, with the alert, audit trail and timeline; stable answers everything again", async () => {
    const db = await getDb();
    const c = await canaryEndpoint(buildFailingModel({ seed: 1 }));
    await startRollout({ db, actor: operator, endpointName: c.name, candidateVersion: c.candidate, steps: [20, 50, 100], bakeSeconds: 600, guards: { minRequests: 50 } });
    expect(weights(await served(c.name))).toEqual({ stable: 80, candidate: 20 });

    // Every fourth request is one the candidate cannot run. 600 requests at 20 %: the candidate gets 120 on average
    // (standard deviation 9.8), so fewer than the 50 the guard needs is 7 standard deviations away.
    const answers = await send(c.name, 600, (i) => i % 4 === 3);
    const failed = answers.filter((a) => a.status !== 200);
    expect(failed.length).toBeGreaterThan(0);
    // Real onnxruntime failures, of poisoned requests only (the stable version, the same MLP without the bounds
    // check, runs every input, and a failed stacked run is retried so that healthy requests batched with a poisoned
    // one still get their answer).
    expect(failed.every((a) => a.poisoned && a.status === 500 && a.error?.startsWith("inference failed:") && a.error.includes("out of data bounds"))).toBe(true);
    const byCandidate = answers.filter((a) => a.version === String(c.candidate)).length + failed.length;
    const byStable = answers.filter((a) => a.version === String(c.stable)).length;
    expect(byStable + byCandidate).toBe(600);
    expect(byCandidate).toBeGreaterThanOrEqual(50);

    // What the guard reads is what the data plane counted.
    await ctx.plane.internals.recorder.flush();
    expect(await rollupTotals(c.endpointId, c.candidate)).toEqual({ count: byCandidate, errors: failed.length });
    expect(await rollupTotals(c.endpointId, c.stable)).toEqual({ count: byStable, errors: 0 });

    const now = new Date();
    const outcome = await guardOutcome(c.name, now);
    expect(outcome).toMatchObject({ decision: { action: "rollback", breach: { guard: "error_rate" } }, applied: true });
    const rate = failed.length / byCandidate;
    const rollout = await db.rollout.findFirstOrThrow({ where: { endpointId: c.endpointId } });
    expect(rollout).toMatchObject({ status: "rolled_back", currentStep: 0 });
    expect(rollout.reason).toContain(`error rate: the candidate failed ${Math.round(rate * 10_000) / 100} % of ${byCandidate} requests against 0 % on the stable variant`);

    const alert = await db.alert.findFirstOrThrow({ where: { endpointId: c.endpointId, signal: "canary" } });
    expect(alert).toMatchObject({ severity: "critical", status: "open", value: rate });
    expect(alert.title).toBe(`Canary of v${c.candidate} on ${c.name} rolled back`);
    expect(alert.message).toBe(`All traffic went back to stable (v${c.stable}). ${rollout.reason}`);
    const audit = await db.auditEvent.findMany({ where: { objectType: "endpoint", objectId: c.name, action: { startsWith: "rollout." } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(audit.map((a) => [a.action, a.actorType, a.reason])).toEqual([
      ["rollout.start", "user", null],
      ["rollout.rollback", "system", rollout.reason],
    ]);
    const timeline = await db.endpointEvent.findMany({ where: { endpointId: c.endpointId, kind: { startsWith: "rollout_" } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(timeline.map((e) => e.kind)).toEqual(["rollout_start", "rollout_rollback"]);
    expect(timeline[1].message).toContain(`canary of v${c.candidate} rolled back: all traffic back to stable`);

    // The plane follows: only the stable version answers, inputs the candidate choked on included.
    expect(weights(await served(c.name))).toEqual({ stable: 100, candidate: 0 });
    const after = await send(c.name, 100, (i) => i % 2 === 0);
    expect(after.map((a) => `${a.status} v${a.version}`)).toEqual(new Array(100).fill(`200 v${c.stable}`));
  });

  it("advances a healthy candidate step by step to 100 % on its traffic, promotes it and hands the alias over", async () => {
    const db = await getDb();
    const c = await canaryEndpoint(buildMlp({ seed: 2 }));
    const steps = [20, 50, 100];
    // Latency at 100 % is compared with the stable baseline of earlier steps, i.e. measured at another time on a
    // machine other tests share; this test is about the steps, so only a wildly slower candidate would trip it.
    await startRollout({ db, actor: operator, endpointName: c.name, candidateVersion: c.candidate, steps, bakeSeconds: 60, guards: { minRequests: 50, maxP95LatencyRatio: 50 } });

    // The bake time passes by moving the clock (Date only: timers and the plane's I/O run in real time), so the
    // plane's rollup minutes and the guard's `now` stay on one clock.
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    try {
      for (const [step, percent] of steps.entries()) {
        expect(weights(await served(c.name))).toEqual({ stable: 100 - percent, candidate: percent });
        const answers = await send(c.name, 500);
        expect(answers.filter((a) => a.status !== 200)).toEqual([]);
        // 500 random draws: the share's standard deviation is at most 2.2 points, so ±12 points is over 5 of them.
        const share = answers.filter((a) => a.version === String(c.candidate)).length / answers.length;
        expect(Math.abs(share - percent / 100)).toBeLessThan(0.12);
        await ctx.plane.internals.recorder.flush();

        const early = await guardOutcome(c.name, new Date());
        expect(early?.decision).toMatchObject({ action: "wait", reason: expect.stringContaining("healthy, baking") });
        vi.setSystemTime(Date.now() + 61_000);
        const baked = await guardOutcome(c.name, new Date());
        expect(baked).toMatchObject({ decision: { action: step < steps.length - 1 ? "advance" : "promote" }, applied: true });
      }
    } finally {
      vi.useRealTimers();
    }

    const rollout = await db.rollout.findFirstOrThrow({ where: { endpointId: c.endpointId } });
    expect(rollout).toMatchObject({ status: "promoted", currentStep: 2 });
    const production = await db.alias.findFirstOrThrow({ where: { model: { name: c.model }, name: "production" }, include: { version: true } });
    expect(production.version.version).toBe(c.candidate);
    const timeline = await db.endpointEvent.findMany({ where: { endpointId: c.endpointId, kind: { startsWith: "rollout_" } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(timeline.map((e) => e.kind)).toEqual(["rollout_start", "rollout_advance", "rollout_advance", "rollout_promote", "rollout_handover"]);
    expect(await db.alert.count({ where: { endpointId: c.endpointId } })).toBe(0);

    // Traffic follows production again, which is now the candidate.
    expect(weights(await served(c.name))).toEqual({ stable: 100, candidate: 0 });
    const after = await send(c.name, 50);
    expect(after.map((a) => `${a.status} v${a.version}`)).toEqual(new Array(50).fill(`200 v${c.candidate}`));
  });
});
