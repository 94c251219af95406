import { beforeAll, describe, expect, it } from "vitest";
import { GET as getDrift } from "@/app/api/endpoints/[name]/drift/route";
import { POST as evaluate } from "@/app/api/endpoints/[name]/drift/evaluate/route";
import { GET as getHistory } from "@/app/api/endpoints/[name]/drift/history/route";
import { getDb } from "@/lib/db/client";
import { endpointWithShiftedTraffic } from "@/lib/drift/drift-test-kit";
import { call, makeToken } from "@/lib/registry/registry-test-kit";

let operator: string;
let viewer: string;
beforeAll(async () => {
  operator = await makeToken("operator");
  viewer = await makeToken("viewer");
});

describe("drift API", () => {
  it("computes a window on the fly, evaluates on demand (operator, audited) and serves the history", async () => {
    const start = Date.UTC(2025, 1, 1, 8, 0);
    const name = await endpointWithShiftedTraffic(start);
    const from = new Date(start).toISOString();
    const to = new Date(start + 60_000).toISOString();
    const q = `from=${encodeURIComponent(from)}&to=${start + 60_000}`;
    const live = await call(getDrift, { path: `/api/endpoints/${name}/drift?${q}`, params: { name }, token: viewer });
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ id: null, rows: 100, window: { from, to } });
    expect(live.body.features.map((f: { name: string; drifted: boolean }) => [f.name, f.drifted])).toEqual([["a", false], ["b", true]]);

    const denied = await call(evaluate, { path: `/api/endpoints/${name}/drift/evaluate`, params: { name }, method: "POST", token: viewer, json: { from, to } });
    expect(denied.status).toBe(403);
    const bad = await call(evaluate, { path: `/api/endpoints/${name}/drift/evaluate`, params: { name }, method: "POST", token: operator, json: { from: to, to: from } });
    expect(bad.status).toBe(400);
    const ran = await call(evaluate, { path: `/api/endpoints/${name}/drift/evaluate`, params: { name }, method: "POST", token: operator, json: { from, to } });
    expect(ran.status).toBe(201);
    expect(ran.body).toMatchObject({ trigger: "manual", rows: 100, alerts: { raised: 2 } }); // drift on b, and b is 100 % out of range
    const db = await getDb();
    expect(await db.auditEvent.count({ where: { action: "drift.evaluate", objectId: name } })).toBe(1);

    const latest = await call(getDrift, { path: `/api/endpoints/${name}/drift`, params: { name }, token: viewer });
    expect(latest.body.id).toBe(ran.body.id);
    const history = await call(getHistory, { path: `/api/endpoints/${name}/drift/history?feature=b&from=${start}&to=${start + 3_600_000}`, params: { name }, token: viewer });
    expect(history.status).toBe(200);
    expect(history.body.points).toEqual([expect.objectContaining({ reportId: ran.body.id, drifted: true })]);
    const missing = await call(getDrift, { path: `/api/endpoints/nope-${name}/drift`, params: { name: `nope-${name}` }, token: viewer });
    expect(missing.status).toBe(404);
  });
});
