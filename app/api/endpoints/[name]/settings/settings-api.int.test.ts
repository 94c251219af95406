import { beforeAll, describe, expect, it } from "vitest";
import { GET as getSettings } from "@/app/api/endpoints/[name]/settings/route";
import { DELETE as resetSetting, PUT as putSetting } from "@/app/api/endpoints/[name]/settings/[kind]/route";
import { POST as evaluate } from "@/app/api/endpoints/[name]/drift/evaluate/route";
import { getDb } from "@/lib/db/client";
import { endpointWithShiftedTraffic } from "@/lib/drift/drift-test-kit";
import { call, makeToken } from "@/lib/registry/registry-test-kit";

let operator: string;
let viewer: string;
beforeAll(async () => {
  operator = await makeToken("operator");
  viewer = await makeToken("viewer");
});

const put = (name: string, kind: string, json: unknown, token = operator) =>
  call(putSetting, { path: `/api/endpoints/${name}/settings/${kind}`, params: { name, kind }, method: "PUT", token, json });

describe("endpoint drift and alert settings API", () => {
  it("shows the defaults, refuses bad values with the reason, stores and audits good ones, and the drift job uses them", async () => {
    const start = Date.UTC(2025, 2, 1, 8, 0);
    const name = await endpointWithShiftedTraffic(start, "settings-api");
    const db = await getDb();

    const initial = await call(getSettings, { path: `/api/endpoints/${name}/settings`, params: { name }, token: viewer });
    expect(initial.status).toBe(200);
    expect(initial.body.drift).toMatchObject({ stored: null, problem: null, effective: { schedule: { everyMinutes: 5, windowMinutes: 60 }, driftShare: 0.5 } });
    expect(initial.body.alerts).toMatchObject({ stored: null, effective: { errorRate: { warn: 0.02, critical: 0.1 } } });

    expect((await put(name, "drift", { driftShare: 0.3 }, viewer)).status).toBe(403);
    const negative = await put(name, "drift", { features: { b: { threshold: -1 } } });
    expect(negative.status).toBe(400);
    expect(negative.body.error).toMatch(/^features\.b\.threshold: /);
    const typo = await put(name, "drift", { features: { bb: { method: "psi" } } });
    expect(typo.status).toBe(400);
    expect(typo.body.error).toBe('features: "bb" is not a feature of the versions this endpoint serves; known: a, b');
    const unknownKey = await put(name, "alerts", { errorRate: { warn: 0.1, critical: 0.2 }, latency: 5 });
    expect(unknownKey.status).toBe(400);
    const badKind = await put(name, "retention", {});
    expect(badKind.status).toBe(400);
    expect(badKind.body.error).toContain("drift, alerts");
    expect(await db.setting.count({ where: { key: { in: [`drift.${name}`, `alerts.${name}`] } } })).toBe(0);

    // b drifts under the default test; a PSI threshold of 1000 on b says it does not.
    const saved = await put(name, "drift", { features: { b: { method: "psi", threshold: 1000 } }, schedule: { everyMinutes: 15 } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ stored: { features: { b: { method: "psi", threshold: 1000 } } }, effective: { schedule: { everyMinutes: 15, windowMinutes: 60 } } });
    const audit = await db.auditEvent.findFirst({ where: { action: "endpoint.settings.update", objectType: "endpoint", objectId: name }, orderBy: { createdAt: "desc" } });
    expect(audit).toMatchObject({ before: { kind: "drift", value: null }, after: { kind: "drift", value: { schedule: { everyMinutes: 15 } } } });

    const from = new Date(start).toISOString();
    const to = new Date(start + 60_000).toISOString();
    const ran = await call(evaluate, { path: `/api/endpoints/${name}/drift/evaluate`, params: { name }, method: "POST", token: operator, json: { from, to } });
    expect(ran.status).toBe(201);
    const b = ran.body.features.find((f: { name: string }) => f.name === "b");
    expect(b).toMatchObject({ method: "psi", threshold: 1000, drifted: false });

    const alerts = await put(name, "alerts", { errorRate: { warn: 0.2, critical: 0.5 }, quietMinutes: 60 });
    expect(alerts.status).toBe(200);
    const both = await call(getSettings, { path: `/api/endpoints/${name}/settings`, params: { name }, token: viewer });
    expect(both.body.alerts.effective).toMatchObject({ errorRate: { warn: 0.2, critical: 0.5 }, latencyP95Ms: { warn: 250, critical: 1000 }, quietMinutes: 60 });
    expect(both.body.drift.stored).toEqual({ features: { b: { method: "psi", threshold: 1000 } }, schedule: { everyMinutes: 15 } });

    const reset = await call(resetSetting, { path: `/api/endpoints/${name}/settings/drift`, params: { name, kind: "drift" }, method: "DELETE", token: operator });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ stored: null, effective: { schedule: { everyMinutes: 5 } } });
    expect(await db.auditEvent.count({ where: { action: "endpoint.settings.reset" } })).toBeGreaterThanOrEqual(1);

    const missing = await call(getSettings, { path: `/api/endpoints/nope-${name}/settings`, params: { name: `nope-${name}` }, token: viewer });
    expect(missing.status).toBe(404);
  });
});
