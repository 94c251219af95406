/**
 * `DELETE /api/models/{name}`: refused while an endpoint serves the model or a version validates; with everything that
 * hangs on it and the files no other model uses. `DELETE /api/models/{name}/versions/{version}`: only archived versions; the row, then its files unless another version
 * has the same bytes or the file is fresh (an upload in flight); the number never given again; audited; operators only.
 * And the sweep of the whole store (the hourly retention job's), on a store of its own.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as upload } from "@/app/api/models/[name]/versions/route";
import { DELETE as deleteRoute, GET as getVersionRoute, PATCH as patchVersion } from "@/app/api/models/[name]/versions/[version]/route";
import { DELETE as deleteModelRoute, GET as getModelRoute } from "@/app/api/models/[name]/route";
import { PUT as putAlias } from "@/app/api/models/[name]/aliases/[alias]/route";
import { getDb } from "@/lib/db/client";
import { artifactPath } from "@/lib/artifacts/artifact-path";
import { collectArtifacts } from "@/lib/artifacts/collect-artifacts";
import { call, makeToken, uniqueName, uploadBody } from "@/lib/registry/registry-test-kit";
import { mlpModel } from "@/lib/registry/test-models";

let operator: string;
beforeAll(async () => {
  operator = await makeToken("operator");
});

const csv = "a,b,c\n" + Array.from({ length: 20 }, (_, i) => `${i},${i * 2},${i % 3}`).join("\n");

async function uploadVersion(name: string, bytes: Uint8Array, reference = false) {
  const fields = [{ name: "file", filename: "m.onnx", data: bytes }, ...(reference ? [{ name: "reference", filename: "ref.csv", data: Buffer.from(csv) }] : [])];
  const { body, headers } = uploadBody(fields);
  const r = await call(upload, { path: `/api/models/${name}/versions`, params: { name }, method: "POST", token: operator, body, headers });
  expect(r.status).toBe(201);
  return r.body.version as number;
}

const versionCall = (handler: typeof deleteRoute, name: string, version: number, o: { method: string; token?: string; json?: unknown }) =>
  call(handler, { path: `/api/models/${name}/versions/${version}`, params: { name, version: String(version) }, method: o.method, token: o.token ?? operator, json: o.json });
const archive = (name: string, version: number) => versionCall(patchVersion, name, version, { method: "PATCH", json: { status: "archived" } });
const remove = (name: string, version: number, token?: string) => versionCall(deleteRoute, name, version, { method: "DELETE", token });
const hoursAgo = (file: string, h: number) => fs.utimesSync(file, new Date(Date.now() - h * 3_600_000), new Date(Date.now() - h * 3_600_000));

describe("deleting a model version", () => {
  it("takes only archived versions, keeps files another version or an upload in flight needs, and never reuses the number", async () => {
    const db = await getDb();
    const name = uniqueName("del");
    const shared = mlpModel({ inputs: 3, seed: 71 });
    await uploadVersion(name, shared, true); // v1, with a reference dataset
    await uploadVersion(name, shared); // v2: the same bytes, stored once
    await uploadVersion(name, mlpModel({ inputs: 3, seed: 72 })); // v3
    const rows = await db.modelVersion.findMany({ where: { model: { name } }, orderBy: { version: "asc" } });
    const [v1, v2, v3] = rows;
    expect(v2.storageKey).toBe(v1.storageKey);

    const ready = await remove(name, 3);
    expect(ready.status).toBe(409);
    expect(ready.body.error).toBe("version 3 is ready: archive it first (archiving checks that no endpoint or alias uses it), then delete it");
    expect((await remove(name, 9)).status).toBe(404);
    expect((await remove(name, 3, await makeToken("viewer", ["read"]))).status).toBe(403);

    // v1's files were written two hours ago: its reference dataset goes, its model file stays (v2 has the same bytes).
    for (const key of [v1.storageKey, v1.referenceKey!]) hoursAgo(artifactPath(key), 2);
    const referenceBytes = fs.statSync(artifactPath(v1.referenceKey!)).size;
    expect((await archive(name, 1)).status).toBe(200);
    const gone = await remove(name, 1);
    expect(gone.status).toBe(200);
    expect(gone.body).toEqual({ model: name, version: 1, artifacts: { deleted: 1, bytes: referenceBytes } });
    expect(fs.existsSync(artifactPath(v1.referenceKey!))).toBe(false);
    expect(fs.existsSync(artifactPath(v1.storageKey))).toBe(true);
    expect((await versionCall(getVersionRoute, name, 1, { method: "GET" })).status).toBe(404);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "version.delete", objectId: `${name}@1` } });
    expect(audit.before).toMatchObject({ status: "archived", sha256: v1.sha256, reference: true });

    // v3's file is fresh: kept at deletion (it could be an identical upload's, in flight), taken once it is old.
    expect((await archive(name, 3)).status).toBe(200);
    expect((await remove(name, 3)).body.artifacts).toEqual({ deleted: 0, bytes: 0 });
    expect(fs.existsSync(artifactPath(v3.storageKey))).toBe(true);
    const later = await collectArtifacts({ db, now: Date.now() + 2 * 3_600_000, onlyKeys: [v3.storageKey, v2.storageKey] });
    expect(later).toEqual({ deleted: 1, bytes: Number(v3.sizeBytes) });
    expect(fs.existsSync(artifactPath(v3.storageKey))).toBe(false);
    expect(fs.existsSync(artifactPath(v2.storageKey))).toBe(true);

    // The next upload is v4, not v3 again.
    expect(await uploadVersion(name, mlpModel({ inputs: 3, seed: 73 }))).toBe(4);
    expect((await db.model.findUniqueOrThrow({ where: { name } })).lastVersion).toBe(4);
  });

  it("sweeps a whole store: unreferenced files older than the grace period go; referenced, fresh, temporary and stray ones stay", async () => {
    const db = await getDb();
    const name = uniqueName("sweep");
    await uploadVersion(name, mlpModel({ inputs: 3, seed: 81 }));
    const used = (await db.modelVersion.findFirstOrThrow({ where: { model: { name } } })).storageKey;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-sweep-"));
    const put = (key: string, bytes: string, ageHours: number) => {
      const file = path.join(dir, ...key.split("/"));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, bytes);
      hoursAgo(file, ageHours);
      return file;
    };
    const sha = (c: string) => c.repeat(64);
    const kept = put(used, "in use", 5);
    const old = put(`sha256/aa/${sha("a")}`, "old and unused", 5);
    const fresh = put(`sha256/bb/${sha("b")}`, "fresh", 0);
    const temp = put(`tmp/123-abc.part`, "an upload in progress", 5);
    const stray = put(`sha256/aa/${sha("a")}.bak`, "not an artifact's name", 5);
    expect(await collectArtifacts({ db, dir })).toEqual({ deleted: 1, bytes: "old and unused".length });
    expect([kept, old, fresh, temp, stray].map((f) => fs.existsSync(f))).toEqual([true, false, true, true, true]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("deleting a model", () => {
  it("is refused while an endpoint serves it; then takes versions, aliases, history and unshared files, and frees the name", async () => {
    const db = await getDb();
    const name = uniqueName("delmodel");
    const other = uniqueName("keeper");
    const shared = mlpModel({ inputs: 3, seed: 91 });
    await uploadVersion(name, shared, true);
    await uploadVersion(name, mlpModel({ inputs: 3, seed: 92 }));
    await uploadVersion(other, shared); // another model with v1's bytes: that file must stay
    const promote = await call(putAlias, { path: `/api/models/${name}/aliases/production`, params: { name, alias: "production" }, method: "PUT", token: operator, json: { version: 2 } });
    expect(promote.status).toBe(200);
    const model = await db.model.findUniqueOrThrow({ where: { name }, include: { versions: { orderBy: { version: "asc" } } } });
    const [v1, v2] = model.versions;
    const ep = await db.endpoint.create({ data: { name: uniqueName("ep"), modelId: model.id, config: { model: name, variants: [{ name: "a", alias: "production", weight: 1 }] } } });
    const del = (token = operator) => call(deleteModelRoute, { path: `/api/models/${name}`, params: { name }, method: "DELETE", token });

    const served = await del();
    expect(served.status).toBe(409);
    expect(served.body.error).toBe(`model '${name}' is served by endpoint '${ep.name}': delete it first`);
    expect((await del(await makeToken("viewer", ["read"]))).status).toBe(403);
    await db.endpoint.delete({ where: { id: ep.id } });

    for (const key of [v1.storageKey, v1.referenceKey!, v2.storageKey]) hoursAgo(artifactPath(key), 2);
    const sizes = fs.statSync(artifactPath(v1.referenceKey!)).size + fs.statSync(artifactPath(v2.storageKey)).size;
    const gone = await del();
    expect(gone.status).toBe(200);
    expect(gone.body).toEqual({ model: name, versions: 2, artifacts: { deleted: 2, bytes: sizes } });
    expect(fs.existsSync(artifactPath(v1.storageKey))).toBe(true); // the other model's v1 has these bytes
    expect([v1.referenceKey!, v2.storageKey].map((k) => fs.existsSync(artifactPath(k)))).toEqual([false, false]);
    expect((await call(getModelRoute, { path: `/api/models/${name}`, params: { name }, token: operator })).status).toBe(404);
    expect(await db.modelVersion.count({ where: { modelId: model.id } })).toBe(0);
    expect(await db.aliasHistory.count({ where: { modelId: model.id } })).toBe(0);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "model.delete", objectId: name } });
    expect(audit.before).toMatchObject({ versions: [1, 2], aliases: ["production"] });

    // The name is free: a new model of that name starts at v1.
    expect(await uploadVersion(name, mlpModel({ inputs: 3, seed: 93 }))).toBe(1);
    expect((await del()).status).toBe(200);
    expect((await del()).status).toBe(404);
  });
});
