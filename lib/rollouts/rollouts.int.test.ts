import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/record-audit";
import { startRollout } from "./start-rollout";
import { abortRollout, pauseRollout, promoteRolloutNow, resumeRollout } from "./operate-rollout";
import { runRolloutGuards } from "./run-rollout-guards";
import { addRollup, makeEndpoint, weights } from "./rollout-test-kit";

const operator: Actor = { type: "user", id: "u-op", label: "op@ferry.test" };
const sec = (base: Date, s: number) => new Date(base.getTime() + s * 1000);

async function endpointRow(id: string) {
  return (await getDb()).endpoint.findUniqueOrThrow({ where: { id } });
}

describe("guarded canary rollouts", () => {
  it("advances a healthy canary step by step to 100 %, promotes it and moves the stable alias to the candidate", async () => {
    const db = await getDb();
    const { endpoint, model } = await makeEndpoint(db);
    await startRollout({ db, actor: operator, endpointName: endpoint.name, candidateVersion: 2, steps: [10, 50, 100], bakeSeconds: 60, guards: { minRequests: 50 } });

    let ep = await endpointRow(endpoint.id);
    expect(weights(ep.config)).toEqual({ stable: 90, candidate: 10 });
    expect((ep.config as { variants: { name: string; version?: number }[] }).variants.find((v) => v.name === "candidate")?.version).toBe(2);
    expect((ep.config as { rollout: unknown }).rollout).toMatchObject({ candidateVariant: "candidate", stableVariant: "stable", steps: [10, 50, 100], bakeSeconds: 60 });
    expect(ep.generation).toBe(2);
    const rollout = await db.rollout.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    expect(rollout).toMatchObject({ status: "running", currentStep: 0, candidateVersion: 2, stableVariant: "stable" });

    const t0 = rollout.stepStartedAt;
    await addRollup(db, { endpointId: endpoint.id, version: 1, minute: t0, count: 900, errors: 1, instanceId: "a" });
    await addRollup(db, { endpointId: endpoint.id, version: 2, minute: t0, count: 60, instanceId: "a" });
    await addRollup(db, { endpointId: endpoint.id, version: 2, minute: t0, count: 40, instanceId: "b" });

    const waiting = await runRolloutGuards({ db, now: sec(t0, 30) });
    expect(waiting.find((o) => o.rolloutId === rollout.id)?.decision.action).toBe("wait");
    expect((await db.rollout.findUniqueOrThrow({ where: { id: rollout.id } })).currentStep).toBe(0);

    const t1 = sec(t0, 61);
    const first = await runRolloutGuards({ db, now: t1 });
    expect(first.find((o) => o.rolloutId === rollout.id)).toMatchObject({ decision: { action: "advance" }, applied: true });
    expect(weights((await endpointRow(endpoint.id)).config)).toEqual({ stable: 50, candidate: 50 });
    expect(await db.rollout.findUniqueOrThrow({ where: { id: rollout.id } })).toMatchObject({ currentStep: 1, stepStartedAt: t1 });

    await addRollup(db, { endpointId: endpoint.id, version: 1, minute: t1, count: 500, instanceId: "c" });
    await addRollup(db, { endpointId: endpoint.id, version: 2, minute: t1, count: 500, instanceId: "c" });
    const t2 = sec(t1, 61);
    await runRolloutGuards({ db, now: t2 });
    expect(weights((await endpointRow(endpoint.id)).config)).toEqual({ stable: 0, candidate: 100 });

    await addRollup(db, { endpointId: endpoint.id, version: 2, minute: t2, count: 1000, instanceId: "d" });
    const last = await runRolloutGuards({ db, now: sec(t2, 61) });
    expect(last.find((o) => o.rolloutId === rollout.id)?.decision.action).toBe("promote");

    expect(await db.rollout.findUniqueOrThrow({ where: { id: rollout.id } })).toMatchObject({ status: "promoted" });
    const alias = await db.alias.findUniqueOrThrow({ where: { modelId_name: { modelId: model.id, name: "production" } }, include: { version: true } });
    expect(alias.version.version).toBe(2);
    ep = await endpointRow(endpoint.id);
    // The alias now points at the candidate, so the stable variant (production) takes all traffic back.
    expect(weights(ep.config)).toEqual({ stable: 100, candidate: 0 });

    const events = await db.endpointEvent.findMany({ where: { endpointId: endpoint.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    const kinds = events.map((e) => e.kind).filter((k) => k.startsWith("rollout_"));
    expect(kinds).toEqual(["rollout_start", "rollout_advance", "rollout_advance", "rollout_promote", "rollout_handover"]);
    const audit = await db.auditEvent.findMany({ where: { objectType: "endpoint", objectId: endpoint.name }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(audit.map((a) => [a.action, a.actorType])).toEqual([
      ["rollout.start", "user"],
      ["rollout.advance", "system"],
      ["rollout.advance", "system"],
      ["rollout.promote", "system"],
      ["rollout.handover", "system"],
    ]);
    expect(await db.auditEvent.count({ where: { action: "alias.promote", objectId: `${model.name}:production` } })).toBe(1);
  });

  it("rolls a candidate with a high error rate back at once, with the reason, timeline, audit and a critical alert", async () => {
    const db = await getDb();
    const { endpoint } = await makeEndpoint(db);
    await startRollout({ db, actor: operator, endpointName: endpoint.name, candidateVersion: 3, steps: [5, 25, 100], bakeSeconds: 600 });
    const rollout = await db.rollout.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    await addRollup(db, { endpointId: endpoint.id, version: 1, minute: rollout.stepStartedAt, count: 2000, errors: 2 });
    await addRollup(db, { endpointId: endpoint.id, version: 3, minute: rollout.stepStartedAt, count: 150, errors: 45 });

    const outcomes = await runRolloutGuards({ db, now: sec(rollout.stepStartedAt, 5) });
    expect(outcomes.find((o) => o.rolloutId === rollout.id)).toMatchObject({ decision: { action: "rollback", breach: { guard: "error_rate" } }, applied: true });

    const after = await db.rollout.findUniqueOrThrow({ where: { id: rollout.id } });
    expect(after.status).toBe("rolled_back");
    expect(after.reason).toContain("error rate: the candidate failed 30 % of 150 requests");
    expect(after.finishedAt).not.toBeNull();
    expect(weights((await endpointRow(endpoint.id)).config)).toEqual({ stable: 100, candidate: 0 });

    const event = await db.endpointEvent.findFirstOrThrow({ where: { endpointId: endpoint.id, kind: "rollout_rollback" } });
    expect(event.message).toContain("rolled back: all traffic back to stable");
    expect(event.actorLabel).toBe("ferry");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "rollout.rollback", objectId: endpoint.name } });
    expect(audit).toMatchObject({ actorType: "system", reason: after.reason });
    const alert = await db.alert.findFirstOrThrow({ where: { endpointId: endpoint.id, signal: "canary" } });
    expect(alert).toMatchObject({ severity: "critical", status: "open", value: 0.3 });
    expect(alert.title).toContain(`Canary of v3 on ${endpoint.name} rolled back`);

    // Finished rollouts are left alone by later passes.
    expect((await runRolloutGuards({ db, now: sec(rollout.stepStartedAt, 3600) })).some((o) => o.rolloutId === rollout.id)).toBe(false);
  });

  it("pauses (the guard stops), resumes (the bake restarts), aborts, and refuses a second concurrent rollout", async () => {
    const db = await getDb();
    const { endpoint } = await makeEndpoint(db, {
      config: { model: "x", variants: [{ name: "a", version: 1, weight: 70 }, { name: "b", version: 2, weight: 30 }, { name: "c", version: 3, weight: 0 }] },
    });
    await startRollout({ db, actor: operator, endpointName: endpoint.name, candidateVersion: 3, candidateVariant: "c", steps: [20, 100], bakeSeconds: 0, guards: { minRequests: 0 } });
    expect(weights((await endpointRow(endpoint.id)).config)).toEqual({ a: 80, b: 0, c: 20 });
    await expect(startRollout({ db, actor: operator, endpointName: endpoint.name, candidateVersion: 2, steps: [100], bakeSeconds: 0 })).rejects.toMatchObject({ code: "conflict" });

    await pauseRollout({ db, actor: operator, endpointName: endpoint.name, reason: "looking into it" });
    await expect(pauseRollout({ db, actor: operator, endpointName: endpoint.name })).rejects.toMatchObject({ code: "conflict" });
    const rollout = await db.rollout.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    expect(rollout.status).toBe("paused");
    const paused = await runRolloutGuards({ db, now: sec(new Date(), 3600) });
    expect(paused.some((o) => o.rolloutId === rollout.id)).toBe(false);

    const resumedAt = sec(new Date(), 5);
    const resumed = await resumeRollout({ db, actor: operator, endpointName: endpoint.name, now: resumedAt });
    expect(resumed).toMatchObject({ status: "running", stepStartedAt: resumedAt.toISOString(), currentPercent: 20 });

    const aborted = await abortRollout({ db, actor: operator, endpointName: endpoint.name, reason: "wrong version" });
    expect(aborted).toMatchObject({ status: "aborted", reason: "wrong version", currentPercent: 0 });
    expect(weights((await endpointRow(endpoint.id)).config)).toEqual({ a: 100, b: 0, c: 0 });
    const actions = (await db.auditEvent.findMany({ where: { objectId: endpoint.name }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((a) => a.action);
    expect(actions).toEqual(["rollout.start", "rollout.pause", "rollout.resume", "rollout.abort"]);
    await expect(abortRollout({ db, actor: operator, endpointName: endpoint.name })).rejects.toMatchObject({ code: "conflict" });

    // A new rollout may start once the last one is over.
    await startRollout({ db, actor: operator, endpointName: endpoint.name, candidateVersion: 2, candidateVariant: "b", steps: [50, 100], bakeSeconds: 0 });
    expect(weights((await endpointRow(endpoint.id)).config)).toEqual({ a: 50, b: 50, c: 0 });
  });

  it("promotes now without touching the registry when the stable variant pins a version", async () => {
    const db = await getDb();
    const { endpoint, model } = await makeEndpoint(db, { config: { model: "x", variants: [{ name: "stable", version: 1, weight: 100 }] } });
    await startRollout({ db, actor: operator, endpointName: endpoint.name, candidateVersion: 2, steps: [10, 100], bakeSeconds: 60 });
    const promoted = await promoteRolloutNow({ db, actor: operator, endpointName: endpoint.name });
    expect(promoted).toMatchObject({ status: "promoted", currentPercent: 100 });
    expect(weights((await endpointRow(endpoint.id)).config)).toEqual({ stable: 0, candidate: 100 });
    const alias = await db.alias.findUniqueOrThrow({ where: { modelId_name: { modelId: model.id, name: "production" } }, include: { version: true } });
    expect(alias.version.version).toBe(1);
  });

  it("validates what it starts: unknown or unready versions, bad steps", async () => {
    const db = await getDb();
    const { endpoint, versions } = await makeEndpoint(db);
    await expect(startRollout({ db, actor: operator, endpointName: endpoint.name, candidateVersion: 9, steps: [100], bakeSeconds: 0 })).rejects.toMatchObject({ code: "bad_request" });
    await expect(startRollout({ db, actor: operator, endpointName: endpoint.name, candidateVersion: 2, steps: [50, 20], bakeSeconds: 0 })).rejects.toThrow(/must end at 100|must be above/);
    await expect(startRollout({ db, actor: operator, endpointName: endpoint.name, candidateVersion: 1, steps: [100], bakeSeconds: 0 })).rejects.toThrow(/already serves v1/);
    await db.modelVersion.update({ where: { id: versions[1].id }, data: { status: "failed" } });
    await expect(startRollout({ db, actor: operator, endpointName: endpoint.name, candidateVersion: 2, steps: [100], bakeSeconds: 0 })).rejects.toMatchObject({ code: "conflict" });
    await expect(startRollout({ db, actor: operator, endpointName: "no-such-endpoint", candidateVersion: 2, steps: [100], bakeSeconds: 0 })).rejects.toMatchObject({ code: "not_found" });
    expect(await db.rollout.count({ where: { endpointId: endpoint.id } })).toBe(0);
  });

});
