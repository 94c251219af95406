import { beforeAll, describe, expect, it } from "vitest";
import { POST as upload } from "@/app/api/models/[name]/versions/route";
import { PUT as putAlias } from "@/app/api/models/[name]/aliases/[alias]/route";
import { POST as rollback } from "@/app/api/models/[name]/aliases/[alias]/rollback/route";
import { POST as decide } from "@/app/api/models/[name]/promotions/[id]/[decision]/route";
import { PATCH as patchVersion } from "@/app/api/models/[name]/versions/[version]/route";
import { GET as getModelRoute, PATCH as patchModel } from "@/app/api/models/[name]/route";
import { getDb } from "@/lib/db/client";
import { desiredStateEvents } from "@/lib/endpoints/notify-desired-state";
import { call, makeToken, uniqueName, uploadBody } from "@/lib/registry/registry-test-kit";
import { mlpModel, brokenReshapeModel } from "@/lib/registry/test-models";

let operator: string;
let operator2: string;
let viewer: string;

beforeAll(async () => {
  operator = await makeToken("operator");
  operator2 = await makeToken("operator");
  viewer = await makeToken("viewer");
});

async function uploadModel(name: string, bytes: Uint8Array) {
  const { body, headers } = uploadBody([{ name: "file", filename: "m.onnx", data: bytes }]);
  const r = await call(upload, { path: `/api/models/${name}/versions`, params: { name }, method: "POST", token: operator, body, headers });
  return r;
}

function promote(name: string, alias: string, json: Record<string, unknown>, token = operator) {
  return call(putAlias, { path: `/api/models/${name}/aliases/${alias}`, params: { name, alias }, method: "PUT", token, json });
}

async function history(name: string, alias: string) {
  const db = await getDb();
  return db.aliasHistory.findMany({ where: { model: { name }, alias }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

/** A model with `n` compatible ready versions (different weights). */
async function modelWithVersions(n: number) {
  const name = uniqueName("alias");
  for (let i = 1; i <= n; i++) expect((await uploadModel(name, mlpModel({ inputs: 4, hidden: 4, outputs: 2, seed: i }))).status).toBe(201);
  return name;
}

describe("aliases", () => {
  it("promotes, bumps the endpoints routing through the alias in the same move, and rolls back in one call", async () => {
    const name = await modelWithVersions(2);
    const db = await getDb();
    const model = await db.model.findUniqueOrThrow({ where: { name } });
    const endpoint = await db.endpoint.create({
      data: { name: uniqueName("ep"), modelId: model.id, config: { model: name, variants: [{ name: "stable", alias: "production", weight: 100 }] } },
    });
    const other = await db.endpoint.create({
      data: { name: uniqueName("ep"), modelId: model.id, config: { model: name, variants: [{ name: "s", alias: "staging", weight: 100 }] } },
    });
    const notified: string[] = [];
    const listener = (n: string) => notified.push(n);
    desiredStateEvents().on("change", listener);

    const first = await promote(name, "production", { version: 1 });
    expect(first).toMatchObject({ status: 200, body: { status: "moved", version: 1, fromVersion: null, endpoints: [endpoint.name] } });
    const rollbackTo = async () => (await call(getModelRoute, { path: `/api/models/${name}`, params: { name }, token: viewer })).body.aliases[0].rollbackTo;
    expect(await rollbackTo()).toBeNull(); // a first promotion has nothing to roll back to
    const second = await promote(name, "production", { version: 2, reason: "better" });
    expect(second.body).toMatchObject({ status: "moved", version: 2, fromVersion: 1 });
    expect((await promote(name, "production", { version: 2 })).body.status).toBe("unchanged");
    expect(await rollbackTo()).toBe(1);

    const back = await call(rollback, { path: `/api/models/${name}/aliases/production/rollback`, params: { name, alias: "production" }, method: "POST", token: operator, json: {} });
    expect(back).toMatchObject({ status: 200, body: { status: "moved", version: 1, fromVersion: 2 } });

    expect((await history(name, "production")).map((h) => [h.kind, h.fromVersion, h.toVersion])).toEqual([
      ["promote", null, 1], ["promote", 1, 2], ["rollback", 2, 1],
    ]);
    expect((await db.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).generation).toBe(4);
    expect((await db.endpoint.findUniqueOrThrow({ where: { id: other.id } })).generation).toBe(1);
    const events = await db.endpointEvent.findMany({ where: { endpointId: endpoint.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => e.kind)).toEqual(["alias_promote", "alias_promote", "alias_rollback"]);
    const audits = await db.auditEvent.findMany({ where: { objectType: "alias", objectId: `${name}:production` } });
    expect(audits.map((a) => a.action).sort()).toEqual(["alias.promote", "alias.promote", "alias.rollback"]);
    desiredStateEvents().off("change", listener);
    if (!process.env.DATABASE_URL) expect(notified.filter((n) => n === endpoint.name)).toHaveLength(3);

    const detail = await call(getModelRoute, { path: `/api/models/${name}`, params: { name }, token: viewer });
    // Rolled back from 2 to 1, a second roll back returns to 2.
    expect(detail.body.aliases).toEqual([expect.objectContaining({ name: "production", version: 1, rollbackTo: 2 })]);
    expect(detail.body.versions.find((v: { version: number }) => v.version === 1).aliases).toEqual(["production"]);
  });

  it("keeps history consistent under concurrent promotions of the same alias", async () => {
    const name = await modelWithVersions(4);
    const results = await Promise.all([1, 2, 3, 4, 2, 3].map((version) => promote(name, "production", { version })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const moved = results.filter((r) => r.body.status === "moved").length;
    const rows = await history(name, "production");
    expect(rows).toHaveLength(moved);
    // Each move starts where the previous one ended.
    rows.forEach((h, i) => expect(h.fromVersion).toBe(i === 0 ? null : rows[i - 1].toVersion));
    const db = await getDb();
    const alias = await db.alias.findFirstOrThrow({ where: { model: { name }, name: "production" }, include: { version: true } });
    expect(alias.version.version).toBe(rows[rows.length - 1].toVersion);
  });

  it("refuses versions that are not ready and incompatible signatures unless forced", async () => {
    const name = await modelWithVersions(1);
    expect((await uploadModel(name, mlpModel({ inputs: 5, hidden: 4, outputs: 2 }))).status).toBe(201);
    expect((await uploadModel(name, brokenReshapeModel())).status).toBe(422);
    expect((await promote(name, "production", { version: 1 })).status).toBe(200);

    const notReady = await promote(name, "production", { version: 3 });
    expect(notReady.status).toBe(409);
    expect(notReady.body.error).toMatch(/version 3 of '.*' is failed, not ready/);

    const incompatible = await promote(name, "production", { version: 2 });
    expect(incompatible.status).toBe(409);
    expect(incompatible.body.error).toMatch(/not signature-compatible with v1.*input 'x' changes shape \[-1, 4\] → \[-1, 5\].*"force": true/);

    const forced = await promote(name, "production", { version: 2, force: true, reason: "new feature set" });
    expect(forced.body).toMatchObject({ status: "moved", forced: true });
    const rows = await history(name, "production");
    expect(rows[rows.length - 1]).toMatchObject({ toVersion: 2, forced: true, reason: "new feature set" });
    expect((await promote(name, "production", { version: 99 })).status).toBe(404);
    expect((await promote(name, "Prod", { version: 1 })).status).toBe(400);
    expect((await promote(name, "production", { version: 1 }, viewer)).status).toBe(403);
  });

  it("requires a second operator's approval for production when the model asks for it", async () => {
    const name = await modelWithVersions(2);
    const patched = await call(patchModel, { path: `/api/models/${name}`, params: { name }, method: "PATCH", token: operator, json: { requireApproval: true, tags: ["Fraud", "fraud"] } });
    expect(patched.body).toMatchObject({ requireApproval: true, tags: ["fraud"] });

    expect((await promote(name, "staging", { version: 1 })).status).toBe(200);
    const pending = await promote(name, "production", { version: 2 });
    expect(pending).toMatchObject({ status: 202, body: { status: "pending", requestId: expect.any(String) } });
    const id = pending.body.requestId;
    const path = (d: string) => ({ path: `/api/models/${name}/promotions/${id}/${d}`, params: { name, id, decision: d }, method: "POST" });

    const self = await call(decide, { ...path("approve"), token: operator, json: {} });
    expect(self.status).toBe(403);
    expect(self.body.error).toMatch(/another operator/);
    expect(await history(name, "production")).toHaveLength(0);

    const ok = await call(decide, { ...path("approve"), token: operator2, json: { note: "looks good" } });
    expect(ok).toMatchObject({ status: 200, body: { status: "approved", version: 2 } });
    expect((await history(name, "production")).map((h) => h.toVersion)).toEqual([2]);
    expect((await call(decide, { ...path("reject"), token: operator2, json: {} })).status).toBe(409);
  });

  it("refuses to archive a version an endpoint or alias routes to", async () => {
    const name = await modelWithVersions(3);
    const db = await getDb();
    const model = await db.model.findUniqueOrThrow({ where: { name } });
    const ep = await db.endpoint.create({ data: { name: uniqueName("ep"), modelId: model.id, config: { variants: [{ name: "a", version: 1, weight: 100 }], shadow: { alias: "candidate", percent: 10 } } } });
    expect((await promote(name, "candidate", { version: 2 })).status).toBe(200);
    const archive = (version: number) =>
      call(patchVersion, { path: `/api/models/${name}/versions/${version}`, params: { name, version: String(version) }, method: "PATCH", token: operator, json: { status: "archived" } });

    const direct = await archive(1);
    expect(direct.status).toBe(409);
    expect(direct.body.error).toContain(`endpoint '${ep.name}' routes to it`);
    const viaAlias = await archive(2);
    expect(viaAlias.status).toBe(409);
    expect(viaAlias.body.error).toContain(`endpoint '${ep.name}' routes to it`);
    const free = await archive(3);
    expect(free).toMatchObject({ status: 200, body: { status: "archived" } });
    expect((await promote(name, "staging", { version: 3 })).status).toBe(409);
  });
});
