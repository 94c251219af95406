import { describe, it, expect } from "vitest";
import { getDb } from "@/lib/db/client";
import { raiseAlert } from "@/lib/alerts/raise-alert";
import { call, makeEndpoint, makeToken, makeUser } from "@/lib/alerts/alerts-test-kit";
import * as listRoute from "./route";
import * as detailRoute from "./[id]/route";
import * as ackRoute from "./[id]/acknowledge/route";
import * as resolveRoute from "./[id]/resolve/route";
import * as muteRoute from "./[id]/mute/route";
import * as unmuteRoute from "./[id]/unmute/route";
import * as assignRoute from "./[id]/assign/route";
import * as commentsRoute from "./[id]/comments/route";
import * as metricsRoute from "@/app/api/metrics/route";
import * as reviewRoute from "./review/route";

const base = { severity: "warn" as const, value: 0.05, threshold: 0.02, title: "Error rate high" };

describe("alert routes", () => {

  it("lists with filters, shows details, and runs the workflow over HTTP with 403/409 where due", async () => {
    const db = await getDb();
    const ep = await makeEndpoint();
    const user = await makeUser("operator");
    const viewer = await makeToken("viewer");
    const operator = await makeToken("operator", user.id);
    const t0 = new Date(Date.now() - 10 * 60_000);
    const { alert } = await raiseAlert({
      db, endpointId: ep.id, signal: "latency", ...base, severity: "critical",
      chartFrom: new Date(t0.getTime() - 3600_000), chartTo: t0, now: t0,
    });
    await raiseAlert({ db, endpointId: ep.id, signal: "error_rate", ...base });

    const list = await call(listRoute.GET, { path: `/api/alerts?endpoint=${ep.name}&severity=critical`, token: viewer });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    expect(list.body.alerts[0]).toMatchObject({ id: alert.id, endpoint: ep.name, signal: "latency", status: "open", severity: "critical" });
    expect(list.body.alerts[0].chartUrl).toBe(
      `/monitoring/${ep.name}?from=${encodeURIComponent(new Date(t0.getTime() - 3600_000).toISOString())}&to=${encodeURIComponent(t0.toISOString())}`,
    );
    expect((await call(listRoute.GET, { path: `/api/alerts?status=bogus`, token: viewer })).status).toBe(400);

    const params = { id: alert.id };
    const path = (s: string) => `/api/alerts/${alert.id}/${s}`;
    expect((await call(ackRoute.POST, { path: path("acknowledge"), method: "POST", token: viewer, params })).status).toBe(403);
    const ack = await call(ackRoute.POST, { path: path("acknowledge"), method: "POST", token: operator, params });
    expect(ack.body).toMatchObject({ status: "acknowledged" });
    const mute = await call(muteRoute.POST, { path: path("mute"), method: "POST", token: operator, params, json: { minutes: 60 } });
    expect(mute.body.status).toBe("muted");
    expect((await call(muteRoute.POST, { path: path("mute"), method: "POST", token: operator, params, json: { minutes: -1 } })).status).toBe(400);
    expect((await call(unmuteRoute.POST, { path: path("unmute"), method: "POST", token: operator, params })).body.status).toBe("acknowledged");
    const assign = await call(assignRoute.POST, { path: path("assign"), method: "POST", token: operator, params, json: { userId: user.id } });
    expect(assign.body.assignee).toMatchObject({ id: user.id });
    const comment = await call(commentsRoute.POST, { path: path("comments"), method: "POST", token: operator, params, json: { body: "on it" } });
    expect(comment.status).toBe(201);
    expect(comment.body.author).toMatchObject({ id: user.id });
    expect((await call(resolveRoute.POST, { path: path("resolve"), method: "POST", token: operator, params })).body.status).toBe("resolved");
    const again = await call(resolveRoute.POST, { path: path("resolve"), method: "POST", token: operator, params });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe("the alert is already resolved");

    const detail = await call(detailRoute.GET, { path: `/api/alerts/${alert.id}`, token: viewer, params });
    expect(detail.body).toMatchObject({ status: "resolved", comments: [{ body: "on it" }], deliveries: [] });
    expect((await call(detailRoute.GET, { path: `/api/alerts/nope`, token: viewer, params: { id: "nope" } })).status).toBe(404);

    const metrics = await call(metricsRoute.GET, { path: "/api/metrics", token: viewer });
    expect(metrics.status).toBe(200);
    expect(metrics.res.headers.get("content-type")).toMatch(/text\/plain/);
    expect(metrics.text).toContain("# TYPE ferry_open_alerts gauge");
    expect(metrics.text).toContain(`ferry_open_alerts{endpoint="${ep.name}",severity="warn"} 1`);
    expect(metrics.text).not.toContain(`ferry_open_alerts{endpoint="${ep.name}",severity="critical"}`);
  });

  it("reviews several alerts in one request: each audited, the ones that cannot take the step reported with the reason", async () => {
    const db = await getDb();
    const ep = await makeEndpoint();
    const viewer = await makeToken("viewer");
    const me = await makeUser("operator");
    const operator = await makeToken("operator", me.id);
    const raised = [];
    for (const feature of ["a", "b", "c"]) raised.push((await raiseAlert({ db, endpointId: ep.id, signal: "drift", feature, ...base })).alert);
    const [a, b, c] = raised;
    await call(ackRoute.POST, { path: `/api/alerts/${b.id}/acknowledge`, method: "POST", token: operator, params: { id: b.id } });
    const review = (json: unknown, token = operator) => call(reviewRoute.POST, { path: "/api/alerts/review", method: "POST", token, json });

    const ack = await review({ ids: [a.id, b.id, c.id, a.id, "no-such-alert"], step: "acknowledge" });
    expect(ack.status).toBe(200);
    expect(ack.body).toEqual({
      changed: 2,
      results: [
        { id: a.id, ok: true, status: "acknowledged" },
        { id: b.id, ok: false, status: 409, error: "the alert is already acknowledged" },
        { id: c.id, ok: true, status: "acknowledged" },
        { id: "no-such-alert", ok: false, status: 404, error: "no alert no-such-alert" },
      ],
    });
    const audits = await db.auditEvent.findMany({ where: { action: "alert.acknowledge", objectId: { in: [a.id, b.id, c.id] } } });
    expect(audits.map((e) => e.objectId).sort()).toEqual([a.id, b.id, c.id].sort());

    const mute = await review({ ids: [a.id, c.id], step: "mute", minutes: 30 });
    expect(mute.body.results.map((r: { status: string }) => r.status)).toEqual(["muted", "muted"]);
    const rows = await db.alert.findMany({ where: { id: { in: [a.id, c.id] } } });
    for (const r of rows) expect(r.mutedUntil!.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    expect((await review({ ids: [a.id, b.id, c.id], step: "resolve" })).body.changed).toBe(3);

    // Assigning works in any status (these are resolved now), each change audited; null unassigns; an assignee who is
    // not an enabled user refuses the whole request and changes nothing.
    const assigned = await review({ ids: [a.id, c.id], step: "assign", userId: me.id });
    expect(assigned.body).toEqual({ changed: 2, results: [{ id: a.id, ok: true, status: "resolved" }, { id: c.id, ok: true, status: "resolved" }] });
    const assignees = async () => (await db.alert.findMany({ where: { id: { in: [a.id, b.id, c.id] } }, orderBy: { feature: "asc" } })).map((r) => r.assigneeId);
    expect(await assignees()).toEqual([me.id, null, me.id]);
    const assignAudits = await db.auditEvent.findMany({ where: { action: "alert.assign", objectId: { in: [a.id, c.id] } } });
    expect(assignAudits.map((e) => e.after)).toEqual([{ assigneeId: me.id }, { assigneeId: me.id }]);
    // The list filters by assignee: "me" is the caller (a token: the user who created it), "none" the unassigned.
    const listed = async (query: string, token = operator) => call(listRoute.GET, { path: `/api/alerts?${query}`, token });
    const ids = (res: { body: { alerts: { id: string }[] } }) => res.body.alerts.map((x) => x.id).sort();
    expect(ids(await listed("assignee=me"))).toEqual([a.id, c.id].sort());
    expect(ids(await listed(`assignee=${me.id}`, viewer))).toEqual([a.id, c.id].sort());
    const unassigned = ids(await listed(`assignee=none&endpoint=${ep.name}`));
    expect(unassigned).toEqual([b.id]);
    const orphan = await listed("assignee=me", await makeToken("operator"));
    expect(orphan.status).toBe(400);
    expect(orphan.body.error).toBe("assignee=me: this token was created by no user; give a user's id instead");
    const nobody = await review({ ids: [a.id, b.id], step: "assign", userId: "no-such-user" });
    expect(nobody.status).toBe(400);
    expect(nobody.body.error).toBe("assign to an existing, enabled user (or null to unassign)");
    expect(await assignees()).toEqual([me.id, null, me.id]);
    expect((await review({ ids: [a.id], step: "assign", userId: null })).body.changed).toBe(1);
    expect(await assignees()).toEqual([null, null, me.id]);

    // Bad bodies are 400s that say what to fix, nothing changes; viewers are refused.
    for (const [json, message] of [
      [{ ids: [], step: "resolve" }, "name at least one alert"],
      [{ ids: [a.id], step: "mute" }, "minutes: give it with step mute"],
      [{ ids: [a.id], step: "acknowledge", minutes: 5 }, "minutes: give it with step mute"],
      [{ ids: [a.id], step: "assign" }, "userId: give it with step assign"],
      [{ ids: [a.id], step: "resolve", userId: null }, "userId: give it with step assign"],
      [{ ids: [a.id], step: "escalate" }, "step"],
      [{ ids: Array.from({ length: 201 }, (_, i) => `x${i}`), step: "resolve" }, "at most 200 alerts at once"],
    ] as const) {
      const res = await review(json);
      expect(res.status, JSON.stringify(json).slice(0, 80)).toBe(400);
      expect(res.body.error).toContain(message);
    }
    expect((await review({ ids: [a.id], step: "unmute" }, viewer)).status).toBe(403);
    expect((await db.alert.findMany({ where: { id: { in: [a.id, b.id, c.id] } } })).map((r) => r.status)).toEqual(["resolved", "resolved", "resolved"]);
  });
});
