import { describe, it, expect } from "vitest";
import { getDb } from "@/lib/db/client";
import { emptyBuckets, bucketIndex } from "@/lib/metrics/latency-buckets";
import { raiseAlert, alertOpenKey } from "./raise-alert";
import { quietResolve } from "./quiet-resolve";
import { reviewAlert } from "./review-alert";
import { commentAlert } from "./comment-alert";
import { unmuteExpiredAlerts } from "./unmute-expired-alerts";
import { evaluateMetricAlerts } from "./evaluate-metric-alerts";
import { countOpenAlerts } from "./count-open-alerts";
import { openAlertCounts } from "./open-alert-gauge";
import { makeEndpoint, makeUser, testActor } from "./alerts-test-kit";
import { AppError } from "@/lib/errors";

const base = { severity: "warn" as const, value: 0.05, threshold: 0.02, title: "Error rate high" };

async function expect409(p: Promise<unknown>, reason: RegExp) {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(AppError);
  expect((e as AppError).status).toBe(409);
  expect((e as AppError).message).toMatch(reason);
}

describe("raiseAlert", () => {
  it("re-fires the open alert instead of opening another, keeping the worst severity", async () => {
    const db = await getDb();
    const ep = await makeEndpoint();
    const first = await raiseAlert({ db, endpointId: ep.id, signal: "error_rate", ...base });
    expect(first.created).toBe(true);
    const second = await raiseAlert({ db, endpointId: ep.id, signal: "error_rate", ...base, severity: "critical", value: 0.2, threshold: 0.1 });
    expect(second.created).toBe(false);
    expect(second.alert.id).toBe(first.alert.id);
    expect(second.alert.fireCount).toBe(2);
    expect(second.alert.severity).toBe("critical");
    expect(second.alert.value).toBe(0.2);
    const third = await raiseAlert({ db, endpointId: ep.id, signal: "error_rate", ...base, value: 0.03 });
    expect(third.alert.severity).toBe("critical");
    expect(third.alert.threshold).toBe(0.1);
    expect(await db.alert.count({ where: { endpointId: ep.id } })).toBe(1);
    const audits = await db.auditEvent.findMany({ where: { objectId: first.alert.id }, orderBy: { createdAt: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["alert.raise", "alert.escalate"]);
  });

  it("keeps one alert per key under concurrent raises", async () => {
    const db = await getDb();
    const ep = await makeEndpoint();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => raiseAlert({ db, endpointId: ep.id, signal: "drift", feature: "f0", ...base })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const alerts = await db.alert.findMany({ where: { endpointId: ep.id } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0].fireCount).toBe(6);
    expect(alerts[0].openKey).toBe(alertOpenKey(ep.id, "drift", "f0"));
  });

  it("opens a new alert after the old one is resolved, and features are separate keys", async () => {
    const db = await getDb();
    const ep = await makeEndpoint();
    const a = await raiseAlert({ db, endpointId: ep.id, signal: "drift", feature: "f0", ...base });
    const other = await raiseAlert({ db, endpointId: ep.id, signal: "drift", feature: "f1", ...base });
    expect(other.alert.id).not.toBe(a.alert.id);
    const resolved = await reviewAlert({ db, actor: testActor(), id: a.alert.id, step: { type: "resolve" } });
    expect(resolved.status).toBe("resolved");
    expect(resolved.openKey).toBeNull();
    const b = await raiseAlert({ db, endpointId: ep.id, signal: "drift", feature: "f0", ...base });
    expect(b.created).toBe(true);
    expect(b.alert.id).not.toBe(a.alert.id);
  });

  it("un-mutes an alert whose mute expired when it re-fires", async () => {
    const db = await getDb();
    const ep = await makeEndpoint();
    const t0 = new Date();
    const a = await raiseAlert({ db, endpointId: ep.id, signal: "latency", ...base, now: t0 });
    await reviewAlert({ db, actor: testActor(), id: a.alert.id, step: { type: "mute", minutes: 10 }, now: t0 });
    const during = await raiseAlert({ db, endpointId: ep.id, signal: "latency", ...base, now: new Date(t0.getTime() + 5 * 60_000) });
    expect(during.alert.status).toBe("muted");
    const after = await raiseAlert({ db, endpointId: ep.id, signal: "latency", ...base, now: new Date(t0.getTime() + 11 * 60_000) });
    expect(after.alert.status).toBe("open");
    expect(after.alert.mutedUntil).toBeNull();
  });
});

describe("quietResolve", () => {
  it("resolves only after the quiet period, as the system, audited", async () => {
    const db = await getDb();
    const ep = await makeEndpoint();
    const t0 = new Date(Date.now() - 60 * 60_000);
    const a = await raiseAlert({ db, endpointId: ep.id, signal: "error_rate", ...base, now: t0 });
    const quietForMs = 15 * 60_000;
    expect(await quietResolve({ db, endpointId: ep.id, signal: "error_rate", quietForMs, now: new Date(t0.getTime() + 10 * 60_000) })).toBeNull();
    const r = await quietResolve({ db, endpointId: ep.id, signal: "error_rate", quietForMs, now: new Date(t0.getTime() + 16 * 60_000) });
    expect(r?.id).toBe(a.alert.id);
    expect(r?.status).toBe("resolved");
    expect(r?.openKey).toBeNull();
    const audit = await db.auditEvent.findFirst({ where: { objectId: a.alert.id, action: "alert.resolve" } });
    expect(audit?.actorType).toBe("system");
    expect(audit?.reason).toMatch(/15 min/);
    expect(await quietResolve({ db, endpointId: ep.id, signal: "error_rate", quietForMs, now: new Date() })).toBeNull();
  });
});

describe("review workflow", () => {
  it("acknowledges, mutes, unmutes, assigns and resolves, refusing invalid moves with 409", async () => {
    const db = await getDb();
    const ep = await makeEndpoint();
    const user = await makeUser("operator");
    const actor = testActor(user.id);
    const { alert } = await raiseAlert({ db, endpointId: ep.id, signal: "error_rate", ...base });
    const id = alert.id;

    await expect409(reviewAlert({ db, actor, id, step: { type: "unmute" } }), /not muted/);
    const acked = await reviewAlert({ db, actor, id, step: { type: "acknowledge" } });
    expect(acked.status).toBe("acknowledged");
    expect(acked.acknowledgedAt).toBeInstanceOf(Date);
    await expect409(reviewAlert({ db, actor, id, step: { type: "acknowledge" } }), /already acknowledged/);

    const muted = await reviewAlert({ db, actor, id, step: { type: "mute", minutes: 30 } });
    expect(muted.status).toBe("muted");
    expect(muted.mutedUntil!.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    const unmuted = await reviewAlert({ db, actor, id, step: { type: "unmute" } });
    expect(unmuted.status).toBe("acknowledged");

    const assigned = await reviewAlert({ db, actor, id, step: { type: "assign", userId: user.id } });
    expect(assigned.assignee?.email).toBe(user.email);
    await expect(reviewAlert({ db, actor, id, step: { type: "assign", userId: "nobody" } })).rejects.toMatchObject({ status: 400 });
    await expect(reviewAlert({ db, actor, id, step: { type: "mute", minutes: 0 } })).rejects.toMatchObject({ status: 400 });

    const resolved = await reviewAlert({ db, actor, id, step: { type: "resolve" } });
    expect(resolved.status).toBe("resolved");
    expect(resolved.resolvedAt).toBeInstanceOf(Date);
    await expect409(reviewAlert({ db, actor, id, step: { type: "resolve" } }), /already resolved/);
    await expect409(reviewAlert({ db, actor, id, step: { type: "mute", minutes: 5 } }), /resolved alert cannot be muted/);
    await expect(reviewAlert({ db, actor, id: "missing", step: { type: "resolve" } })).rejects.toMatchObject({ status: 404 });

    const audits = await db.auditEvent.findMany({ where: { objectId: id, actorId: user.id }, orderBy: { createdAt: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["alert.acknowledge", "alert.mute", "alert.unmute", "alert.assign", "alert.resolve"]);
    expect(audits[0].before).toMatchObject({ status: "open" });
    expect(audits[0].after).toMatchObject({ status: "acknowledged" });
  });

  it("returns expired mutes to their prior status", async () => {
    const db = await getDb();
    const ep = await makeEndpoint();
    const actor = testActor();
    const t0 = new Date(Date.now() - 2 * 60 * 60_000);
    const open = await raiseAlert({ db, endpointId: ep.id, signal: "drift", feature: "a", ...base, now: t0 });
    const acked = await raiseAlert({ db, endpointId: ep.id, signal: "drift", feature: "b", ...base, now: t0 });
    const still = await raiseAlert({ db, endpointId: ep.id, signal: "drift", feature: "c", ...base, now: t0 });
    await reviewAlert({ db, actor, id: acked.alert.id, step: { type: "acknowledge" }, now: t0 });
    await reviewAlert({ db, actor, id: open.alert.id, step: { type: "mute", minutes: 5 }, now: t0 });
    await reviewAlert({ db, actor, id: acked.alert.id, step: { type: "mute", minutes: 5 }, now: t0 });
    await reviewAlert({ db, actor, id: still.alert.id, step: { type: "mute", minutes: 24 * 60 }, now: t0 });
    expect(await unmuteExpiredAlerts({ db })).toBeGreaterThanOrEqual(2);
    const byId = async (id: string) => (await db.alert.findUniqueOrThrow({ where: { id } })).status;
    expect(await byId(open.alert.id)).toBe("open");
    expect(await byId(acked.alert.id)).toBe("acknowledged");
    expect(await byId(still.alert.id)).toBe("muted");
    const audit = await db.auditEvent.findFirst({ where: { objectId: open.alert.id, action: "alert.unmute" } });
    expect(audit).toMatchObject({ actorType: "system", reason: "mute expired" });
  });

  it("keeps a comment thread, audited, and refuses empty or oversized comments", async () => {
    const db = await getDb();
    const ep = await makeEndpoint();
    const user = await makeUser("operator");
    const { alert } = await raiseAlert({ db, endpointId: ep.id, signal: "latency", ...base });
    const c = await commentAlert({ db, actor: testActor(user.id), id: alert.id, body: "  looking into it  ", authorId: user.id });
    expect(c.body).toBe("looking into it");
    expect(c.author?.email).toBe(user.email);
    await expect(commentAlert({ db, actor: testActor(), id: alert.id, body: "   " })).rejects.toMatchObject({ status: 400 });
    await expect(commentAlert({ db, actor: testActor(), id: alert.id, body: "x".repeat(5001) })).rejects.toMatchObject({ status: 400 });
    await expect(commentAlert({ db, actor: testActor(), id: "missing", body: "hi" })).rejects.toMatchObject({ status: 404 });
    expect(await db.alertComment.count({ where: { alertId: alert.id } })).toBe(1);
    const audit = await db.auditEvent.findFirst({ where: { objectId: alert.id, action: "alert.comment" } });
    expect(audit?.after).toMatchObject({ commentId: c.id });
  });
});

describe("evaluateMetricAlerts", () => {
  function rollup(endpointId: string, minute: Date, version: number, count: number, errors: number, latencyMs: number) {
    const latencyBuckets = emptyBuckets();
    latencyBuckets[bucketIndex(latencyMs)] = count;
    return { endpointId, version, minute, instanceId: "test-instance", count, errors, latencySumMs: latencyMs * count, latencyBuckets };
  }

  it("raises error_rate and latency alerts with the band's severity, then quiet-resolves them", async () => {
    const db = await getDb();
    const slow = await makeEndpoint();
    const flaky = await makeEndpoint();
    const fine = await makeEndpoint();
    const tiny = await makeEndpoint();
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const m1 = new Date(now.getTime() - 60_000);
    const m2 = new Date(now.getTime() - 120_000);
    await db.metricRollup.createMany({
      data: [
        // slow: p95 in the 300–500 ms bucket → latency warn; 1 % errors → no error alert
        rollup(slow.id, m1, 1, 100, 1, 400), rollup(slow.id, m2, 2, 100, 1, 400),
        // flaky: 15 % errors across two versions → critical; fast
        rollup(flaky.id, m1, 1, 50, 10, 5), rollup(flaky.id, m2, 2, 50, 5, 5),
        rollup(fine.id, m1, 1, 500, 0, 3),
        // below the 20-request minimum: no alert even at 100 % errors
        rollup(tiny.id, m1, 1, 5, 5, 5000),
        // outside the 5-minute window
        rollup(fine.id, new Date(now.getTime() - 30 * 60_000), 1, 500, 500, 5000),
      ],
    });
    await db.setting.upsert({
      where: { key: `alerts.${slow.name}` },
      create: { key: `alerts.${slow.name}`, value: { latencyP95Ms: { warn: 300, critical: 2000 } } },
      update: {},
    });

    await evaluateMetricAlerts({ db, now });
    const alerts = await db.alert.findMany({ where: { endpointId: { in: [slow.id, flaky.id, fine.id, tiny.id] } } });
    const of = (id: string) => alerts.filter((a) => a.endpointId === id).map((a) => [a.signal, a.severity]);
    expect(of(slow.id)).toEqual([["latency", "warn"]]);
    expect(of(flaky.id)).toEqual([["error_rate", "critical"]]);
    expect(of(fine.id)).toEqual([]);
    expect(of(tiny.id)).toEqual([]);
    const rate = alerts.find((a) => a.endpointId === flaky.id)!;
    expect(rate.value).toBeCloseTo(0.15);
    expect(rate.threshold).toBe(0.1);
    expect(rate.chartTo?.getTime()).toBe(now.getTime());
    const lat = alerts.find((a) => a.endpointId === slow.id)!;
    expect(lat.value).toBeGreaterThan(300);
    expect(lat.value).toBeLessThanOrEqual(500);
    expect(lat.threshold).toBe(300);

    // Still breaching a minute later: the same alerts re-fire.
    await evaluateMetricAlerts({ db, now: new Date(now.getTime() + 60_000) });
    expect((await db.alert.findUniqueOrThrow({ where: { id: rate.id } })).fireCount).toBe(2);

    // 20 minutes later the window is empty: quiet for > 15 min → resolved.
    await evaluateMetricAlerts({ db, now: new Date(now.getTime() + 20 * 60_000) });
    const after = await db.alert.findMany({ where: { id: { in: [rate.id, lat.id] } } });
    expect(after.map((a) => a.status)).toEqual(["resolved", "resolved"]);
  });
});

describe("alert counts", () => {
  it("counts open alerts for the nav and unresolved ones per endpoint and severity for Prometheus", async () => {
    const db = await getDb();
    const ep = await makeEndpoint();
    const before = await countOpenAlerts(db);
    const a = await raiseAlert({ db, endpointId: ep.id, signal: "drift", feature: "x", ...base });
    await raiseAlert({ db, endpointId: ep.id, signal: "drift", feature: "y", ...base, severity: "critical" });
    const c = await raiseAlert({ db, endpointId: ep.id, signal: "drift", feature: "z", ...base, severity: "critical" });
    await reviewAlert({ db, actor: testActor(), id: a.alert.id, step: { type: "acknowledge" } });
    await reviewAlert({ db, actor: testActor(), id: c.alert.id, step: { type: "resolve" } });
    expect(await countOpenAlerts(db)).toBe(before + 1);
    const rows = (await openAlertCounts(db)).filter((r) => r.endpoint === ep.name);
    expect(rows.sort((x, y) => x.severity.localeCompare(y.severity))).toEqual([
      { endpoint: ep.name, severity: "critical", count: 1 },
      { endpoint: ep.name, severity: "warn", count: 1 },
    ]);
  });
});
