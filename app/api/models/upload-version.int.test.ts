import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as upload } from "@/app/api/models/[name]/versions/route";
import { GET as getVersionRoute, PATCH as patchVersionRoute } from "@/app/api/models/[name]/versions/[version]/route";
import { GET as download } from "@/app/api/models/[name]/versions/[version]/download/route";
import { GET as listRoute } from "@/app/api/models/route";
import { GET as getModelRoute } from "@/app/api/models/[name]/route";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { SYSTEM_ACTOR } from "@/lib/audit/record-audit";
import { call, makeToken, uniqueName, uploadBody } from "@/lib/registry/registry-test-kit";
import { mlpModel, imageModel, twoInTwoOutModel, externalDataModel, customDomainModel, futureOpsetModel } from "@/lib/registry/test-models";
import { uploadVersion } from "@/lib/registry/upload-version";
import { buildLinearClassifier, buildZipMapClassifier } from "@/lib/onnx/build-model";
import { failInterruptedValidations } from "@/lib/registry/fail-interrupted-validations";

let operator: string;
let viewer: string;

beforeAll(async () => {
  operator = await makeToken("operator");
  viewer = await makeToken("viewer");
});

function send(name: string, fields: Parameters<typeof uploadBody>[0], token = operator, extraHeaders: Record<string, string> = {}) {
  const { body, headers } = uploadBody(fields);
  return call(upload, { path: `/api/models/${encodeURIComponent(name)}/versions`, params: { name }, method: "POST", token, body, headers: { ...headers, ...extraHeaders } });
}

const file = (bytes: Uint8Array, filename = "model.onnx") => ({ name: "file", filename, data: bytes });

/** Every file under the data directory, relative to it. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

describe("POST /api/models/{name}/versions", () => {
  it("registers an MLP with its reference dataset: 201 in DESIGN.md's shape, stored under its sha256", async () => {
    const name = uniqueName("mlp");
    const bytes = mlpModel({ inputs: 3, hidden: 8, outputs: 2 });
    const csv = "age,income,score\n" + Array.from({ length: 50 }, (_, i) => `${i},${i * 2},${i % 5}`).join("\n");
    const r = await send(name, [file(bytes), { name: "reference", filename: "ref.csv", data: Buffer.from(csv) }, { name: "description", value: "first" }, { name: "source", value: "ci" }]);
    expect(r.status).toBe(201);
    const sha = crypto.createHash("sha256").update(bytes).digest("hex");
    expect(r.body).toEqual({
      model: name,
      version: 1,
      status: "ready",
      statusReason: null,
      sha256: sha,
      sizeBytes: bytes.length,
      signature: { inputs: [{ name: "x", datatype: "FP32", shape: [-1, 3] }], outputs: [{ name: "probs", datatype: "FP32", shape: [-1, 2] }] },
      validationMs: expect.any(Number),
      metrics: {},
    });
    expect(fs.readFileSync(path.join(config().artifactDir, "sha256", sha.slice(0, 2), sha)).equals(Buffer.from(bytes))).toBe(true);

    const v = await call(getVersionRoute, { path: `/api/models/${name}/versions/1`, params: { name, version: "1" }, token: viewer });
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ description: "first", source: "ci", opset: 17, producer: "ferry-tests 1", metadata: { framework: "test" }, hasReference: true, uploadedBy: expect.stringMatching(/^token:/) });
    expect(v.body.referenceSummary).toMatchObject({ rows: 50, columns: 3, features: [{ name: "age", input: "x", index: 0, min: 0, max: 49 }, {}, {}] });

    const d = await call(download, { path: `/api/models/${name}/versions/1/download`, params: { name, version: "1" }, token: viewer });
    expect(d.status).toBe(200);
    expect(Buffer.from(await d.res.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);

    const list = await call(listRoute, { path: `/api/models?q=${name}`, params: {}, token: viewer });
    expect(list.body.models).toEqual([expect.objectContaining({ name, versionCount: 1, latest: expect.objectContaining({ version: 1, status: "ready" }) })]);
  });

  it("accepts a dynamic image model and a two-input two-output model with different datatypes", async () => {
    const img = await send(uniqueName("img"), [file(imageModel())]);
    expect(img.status).toBe(201);
    expect(img.body.signature.inputs).toEqual([{ name: "image", datatype: "FP32", shape: [-1, 3, -1, -1] }]);
    const two = await send(uniqueName("two"), [file(twoInTwoOutModel())]);
    expect(two.status).toBe(201);
    expect(two.body.signature).toEqual({
      inputs: [{ name: "a", datatype: "FP32", shape: [-1, 4] }, { name: "b", datatype: "INT64", shape: [-1, 2] }],
      outputs: [{ name: "relu_a", datatype: "FP32", shape: [-1, 4] }, { name: "double_b", datatype: "INT64", shape: [-1, 2] }],
    });
  });

  it("numbers concurrent uploads of one model without gaps or duplicates, storing identical content once", async () => {
    const name = uniqueName("race");
    const bytes = mlpModel({ inputs: 2, hidden: 2, outputs: 2 });
    const results = await Promise.all([1, 2, 3].map(() => send(name, [file(bytes)])));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(results.map((r) => r.body.version).sort()).toEqual([1, 2, 3]);
    const sha = results[0].body.sha256;
    expect(fs.readdirSync(path.join(config().artifactDir, "sha256", sha.slice(0, 2))).filter((f) => f === sha)).toHaveLength(1);
  });

  it("keeps a version that fails validation as failed and answers 422 with the reason", async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ["random", crypto.randomBytes(4096), /^not an ONNX model/],
      ["truncated", mlpModel().subarray(0, 900), /^not an ONNX model/],
      ["external", externalDataModel("../../etc/passwd"), /refers to external data at "\.\.\/\.\.\/etc\/passwd"/],
      ["custom", customDomainModel(), /domain 'com\.example\.evil'.*custom operators are not supported/],
      ["future", futureOpsetModel(), /opset 99 of the default \(ai\.onnx\) domain is newer than onnxruntime/],
    ];
    for (const [label, bytes, reason] of cases) {
      const name = uniqueName(label);
      const r = await send(name, [file(bytes)]);
      expect(r.status, label).toBe(422);
      expect(r.body.error).toMatch(reason);
      expect(r.body).toMatchObject({ model: name, version: 1, status: "failed" });
      const db = await getDb();
      const row = await db.modelVersion.findFirst({ where: { model: { name } } });
      expect(row).toMatchObject({ status: "failed", statusReason: r.body.error });
    }
    const dataDir = config().dataDir;
    // The embedded database (pg/ and its owner's pg.lock) and the artifact store are all a data directory holds.
    const outside = filesUnder(dataDir).filter((f) => !f.startsWith("artifacts" + path.sep) && !f.startsWith("pg" + path.sep) && f !== "pg.lock");
    expect(outside).toEqual([]);
    expect(filesUnder(path.join(config().artifactDir, "tmp"))).toEqual([]);
  });

  it("refuses a reference dataset that does not match the input signature", async () => {
    const r = await send(uniqueName("badref"), [file(mlpModel({ inputs: 3 })), { name: "reference", filename: "r.csv", data: Buffer.from("a,b\n1,2\n") }]);
    expect(r.status).toBe(422);
    expect(r.body.error).toBe("reference dataset: the reference dataset has 2 columns but input 'x' takes 3 features (shape [-1, 3])");
  });

  it("keeps the class labels uploaded with a version in its signature, and fails a version they do not fit", async () => {
    const name = uniqueName("labels");
    const ok = await send(name, [file(mlpModel({ inputs: 3, outputs: 3 })), { name: "labels", filename: "labels.txt", data: Buffer.from("approve\r\nreview\r\ndecline\r\n") }]);
    expect(ok.status).toBe(201);
    expect(ok.body.signature.labels).toEqual({ probs: ["approve", "review", "decline"] });
    const v = await call(getVersionRoute, { path: `/api/models/${name}/versions/1`, params: { name, version: "1" }, token: viewer });
    expect(v.body.signature.labels).toEqual({ probs: ["approve", "review", "decline"] });
    // The model's list of versions leaves them out (a version's labels may run to tens of thousands).
    const listed = await call(getModelRoute, { path: `/api/models/${name}`, params: { name }, token: viewer });
    expect(listed.body.versions[0].signature).toEqual({ inputs: [{ name: "x", datatype: "FP32", shape: [-1, 3] }], outputs: [{ name: "probs", datatype: "FP32", shape: [-1, 3] }] });
    const db = await getDb();
    const audit = await db.auditEvent.findFirst({ where: { action: "model.validate", objectId: `${name}@1` } });
    expect(audit?.after).toMatchObject({ status: "ready", labels: ["probs"] });

    const short = await send(name, [file(mlpModel({ inputs: 3, outputs: 3 })), { name: "labels", filename: "labels.txt", data: Buffer.from("approve\nreview\n") }]);
    expect(short.status).toBe(422);
    expect(short.body).toMatchObject({ version: 2, status: "failed", error: "class labels: output 'probs' has 3 classes (shape [-1,3]) but the labels file gives it 2 labels" });
    const unknown = await send(name, [file(mlpModel({ inputs: 3, outputs: 3 })), { name: "labels", filename: "labels.txt", data: Buffer.from('{"scores": ["a", "b", "c"]}') }]);
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toBe("class labels: the labels file names output 'scores', which the model does not have (numeric outputs: 'probs' [-1,3])");

    // A malformed file is refused before a version is allocated.
    const empty = await send(name, [file(mlpModel({ inputs: 3, outputs: 3 })), { name: "labels", filename: "labels.txt", data: Buffer.from("a\n\nc") }]);
    expect(empty.status).toBe(400);
    expect(empty.body.error).toBe("line 2 of the labels file is empty: every class needs a label, in class order");
    expect(await db.modelVersion.count({ where: { model: { name } } })).toBe(3);

    // Labels are edited later through the version's PATCH: checked as at upload; a viewer may not.
    const patch = (json: unknown, token = operator) => call(patchVersionRoute, { path: `/api/models/${name}/versions/1`, params: { name, version: "1" }, method: "PATCH", token, json });
    const edited = await patch({ labels: { probs: ["approve", "escalate", "decline"] } });
    expect(edited.status).toBe(200);
    expect(edited.body.signature).toMatchObject({ outputs: [{ name: "probs" }], labels: { probs: ["approve", "escalate", "decline"] } });
    const wrong = await patch({ labels: "a\nb\nc\nd\n" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe("class labels: output 'probs' has 3 classes (shape [-1,3]) but the labels file gives it 4 labels");
    expect((await patch({ labels: 3 })).status).toBe(400);
    expect((await patch({ labels: null }, viewer)).status).toBe(403);
    const removed = await patch({ labels: null });
    expect(removed.body.signature.labels).toBeUndefined();
    expect(removed.body.signature.outputs).toEqual([{ name: "probs", datatype: "FP32", shape: [-1, 3] }]);
    const failed = await call(patchVersionRoute, { path: `/api/models/${name}/versions/2`, params: { name, version: "2" }, method: "PATCH", token: operator, json: { labels: ["a", "b", "c"] } });
    expect(failed.status).toBe(409);
    expect(failed.body.error).toBe("version 2 has no signature (it did not validate), so it cannot take class labels");
  });

  it("keeps a version's training metrics, sent with the upload or later, audited, and refuses malformed ones before allocating", async () => {
    const name = uniqueName("metrics");
    const r = await send(name, [file(mlpModel({ inputs: 3 })), { name: "metrics", value: "auc=0.931\nval/loss: 0.25" }]);
    expect(r.status).toBe(201);
    expect(r.body.metrics).toEqual({ auc: 0.931, "val/loss": 0.25 });
    const got = await call(getVersionRoute, { path: `/api/models/${name}/versions/1`, params: { name, version: "1" }, token: viewer });
    expect(got.body.metrics).toEqual({ auc: 0.931, "val/loss": 0.25 });
    const listed = await call(getModelRoute, { path: `/api/models/${name}`, params: { name }, token: viewer });
    expect(listed.body.versions[0].metrics).toEqual({ auc: 0.931, "val/loss": 0.25 });
    const db = await getDb();
    expect((await db.auditEvent.findFirst({ where: { action: "model.upload", objectId: `${name}@1` } }))?.after).toMatchObject({ metrics: { auc: 0.931 } });

    const bad = await send(name, [file(mlpModel({ inputs: 3 })), { name: "metrics", value: "auc=high" }]);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("metric 'auc' must be a finite number");
    expect(await db.modelVersion.count({ where: { model: { name } } })).toBe(1);

    const patch = (json: unknown, token = operator) => call(patchVersionRoute, { path: `/api/models/${name}/versions/1`, params: { name, version: "1" }, method: "PATCH", token, json });
    expect((await patch({ metrics: { auc: 0.94, f1: 0.88 } })).body.metrics).toEqual({ auc: 0.94, f1: 0.88 });
    expect((await patch({ metrics: { auc: 1 } }, viewer)).status).toBe(403);
    const wrong = await patch({ metrics: "f1" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe("line 1 of the metrics is not name=value: 'f1'");
    const edit = await db.auditEvent.findFirst({ where: { action: "version.update", objectId: `${name}@1` }, orderBy: { createdAt: "desc" } });
    expect(edit).toMatchObject({ before: { metrics: { auc: 0.931, "val/loss": 0.25 } }, after: { metrics: { auc: 0.94, f1: 0.88 } } });
    expect((await patch({ metrics: null })).body.metrics).toEqual({});
  });

  it("accepts a scikit-learn classifier as skl2onnx exports it: the ZipMap output becomes its probabilities tensor, named by the classifier's classes", async () => {
    const name = uniqueName("sklearn");
    const bytes = buildZipMapClassifier({ inputs: 4, hidden: 8, seed: 3, classLabels: ["setosa", "versicolor", "virginica"] });
    const r = await send(name, [file(bytes)]);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: "ready", sha256: crypto.createHash("sha256").update(bytes).digest("hex"), sizeBytes: bytes.length });
    expect(r.body.signature).toEqual({
      inputs: [{ name: "x", datatype: "FP32", shape: [-1, 4] }],
      outputs: [
        { name: "output_label", datatype: "BYTES", shape: [-1] },
        { name: "output_probability", datatype: "FP32", shape: [-1, 3] },
      ],
      labels: { output_probability: ["setosa", "versicolor", "virginica"] },
    });
    // The store keeps (and hands back) the file as uploaded, ZipMap and all.
    const got = await call(download, { path: `/api/models/${name}/versions/1/download`, params: { name, version: "1" }, token: viewer });
    expect(Buffer.from(await got.res.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    // A labels file uploaded with it replaces the ZipMap's.
    const relabelled = await send(name, [file(bytes), { name: "labels", filename: "labels.txt", data: Buffer.from("a\nb\nc\n") }]);
    expect(relabelled.body.signature.labels).toEqual({ output_probability: ["a", "b", "c"] });
    // Exported with zipmap=False, the classifier's own classes label its probabilities.
    const plain = await send(name, [file(buildLinearClassifier({ inputs: 4, classLabels: ["setosa", "versicolor", "virginica"] }))]);
    expect(plain.body.signature).toMatchObject({
      outputs: [{ name: "label", datatype: "BYTES" }, { name: "probabilities", datatype: "FP32", shape: [-1, 3] }],
      labels: { probabilities: ["setosa", "versicolor", "virginica"] },
    });
  });

  it("answers 4xx with a clear message for malformed requests", async () => {
    const name = uniqueName("bad");
    const wrongField = await send(name, [{ name: "model", filename: "m.onnx", data: mlpModel() }]);
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.error).toMatch(/^unexpected multipart field 'model'; expected a multipart field 'file'/);

    const noFile = await send(name, [{ name: "description", value: "no file" }]);
    expect(noFile.status).toBe(400);
    expect(noFile.body.error).toMatch(/^expected a multipart field 'file'/);

    const textFile = await send(name, [{ name: "file", value: "not a file" }]);
    expect(textFile.status).toBe(400);

    const json = await call(upload, { path: `/api/models/${name}/versions`, params: { name }, method: "POST", token: operator, json: { file: "x" } });
    expect(json.status).toBe(415);

    const huge = await send(name, [file(mlpModel())], operator, { "content-length": String(10 * 1024 ** 4) });
    expect(huge.status).toBe(413);

    for (const bad of ["../etc", "%2e%2e", "..", "a/b", "Fraud", "-x", ""]) {
      const r = await send(bad, [file(mlpModel())]);
      expect(r.status, bad).toBe(400);
      expect(r.body.error).toMatch(/model name/);
    }
    const db = await getDb();
    expect(await db.model.count({ where: { name } })).toBe(0);
  });

  it("refuses a new model named 'new' (the dashboard's upload form lives at /models/new) but still adds versions to one made before the rule", async () => {
    const db = await getDb();
    const refused = await send("new", [file(mlpModel())]);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe("the model name 'new' is reserved: it is the address of the dashboard's form for creating one; choose another");
    expect(await db.model.count({ where: { name: "new" } })).toBe(0);
    await db.model.create({ data: { name: "new" } });
    try {
      const added = await send("new", [file(mlpModel())]);
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      expect(added.body.version).toBe(1);
    } finally {
      await db.modelVersion.deleteMany({ where: { model: { name: "new" } } });
      await db.model.delete({ where: { name: "new" } });
    }
  });

  it("stops reading at the size cap with 413 and leaves nothing behind", async () => {
    const db = await getDb();
    const name = uniqueName("big");
    const { body, headers } = uploadBody([file(crypto.randomBytes(64 * 1024))]);
    const { bodyChunks } = await import("@/lib/http/body-chunks");
    const err = await uploadVersion({ db, actor: SYSTEM_ACTOR, modelName: name, contentType: headers["content-type"], contentLength: null, body: bodyChunks(body), maxModelBytes: 10_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(413);
    expect(filesUnder(path.join(config().artifactDir, "tmp"))).toEqual([]);
    expect(await db.model.count({ where: { name } })).toBe(0);
  });

  it("forbids viewers and read-only tokens", async () => {
    const r = await send(uniqueName("viewer"), [file(mlpModel())], viewer);
    expect(r.status).toBe(403);
    const readOnly = await makeToken("operator", ["read"]);
    expect((await send(uniqueName("ro"), [file(mlpModel())], readOnly)).status).toBe(403);
  });

  it("marks versions whose validation was interrupted as failed", async () => {
    const db = await getDb();
    const model = await db.model.create({ data: { name: uniqueName("stuck") } });
    const old = new Date(Date.now() - 3600_000);
    await db.modelVersion.create({ data: { modelId: model.id, version: 1, status: "validating", sha256: "0".repeat(64), sizeBytes: 1n, storageKey: "sha256/00/" + "0".repeat(64), createdAt: old } });
    await db.modelVersion.create({ data: { modelId: model.id, version: 2, status: "validating", sha256: "0".repeat(64), sizeBytes: 1n, storageKey: "sha256/00/" + "0".repeat(64) } });
    expect(await failInterruptedValidations(db)).toBeGreaterThanOrEqual(1);
    const rows = await db.modelVersion.findMany({ where: { modelId: model.id }, orderBy: { version: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["failed", "validating"]);
    expect(rows[0].statusReason).toMatch(/interrupted/);
  });
});
