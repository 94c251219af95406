import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { POST as upload } from "@/app/api/models/[name]/versions/route";
import { PUT as putAlias } from "@/app/api/models/[name]/aliases/[alias]/route";
import { POST as rollback } from "@/app/api/models/[name]/aliases/[alias]/rollback/route";
import { run as runUpload } from "@/bin/commands/upload";
import { run as runPromote } from "@/bin/commands/promote";
import { run as runRollback } from "@/bin/commands/rollback";
import { run as runEndpoint } from "@/bin/commands/endpoint";
import { run as runPredictions } from "@/bin/commands/predictions";
import { run as runPrune } from "@/bin/commands/prune";
import { run as runModel } from "@/bin/commands/model";
import { run as runInfer } from "@/bin/commands/infer";
import { DELETE as deleteModel, GET as getModel } from "@/app/api/models/[name]/route";
import { DELETE as deleteVersion, PATCH as patchVersion } from "@/app/api/models/[name]/versions/[version]/route";
import { GET as listEndpoints } from "@/app/api/endpoints/route";
import { DELETE as deleteEndpoint, GET as getEndpoint, PUT as putEndpoint } from "@/app/api/endpoints/[name]/route";
import { POST as tryEndpoint } from "@/app/api/endpoints/[name]/try/route";
import { GET as predictions } from "@/app/api/endpoints/[name]/predictions/route";
import { getDb } from "@/lib/db/client";
import { makeToken, uniqueName } from "@/lib/registry/registry-test-kit";
import { freePort, quietLogger, waitFor } from "@/inference/data-plane-test-kit";
import { startDataPlane } from "@/inference/start-data-plane";
import { mlpModel } from "@/lib/registry/test-models";

/** The routes the CLI uses, behind a real HTTP server (so fetch streams the multipart body for real). */
const ROUTES: [RegExp, string, (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>, string[]][] = [
  [/^\/api\/models\/([^/]+)\/versions$/, "POST", upload as never, ["name"]],
  [/^\/api\/models\/([^/]+)\/aliases\/([^/]+)$/, "PUT", putAlias as never, ["name", "alias"]],
  [/^\/api\/models\/([^/]+)\/aliases\/([^/]+)\/rollback$/, "POST", rollback as never, ["name", "alias"]],
  [/^\/api\/endpoints$/, "GET", listEndpoints as never, []],
  [/^\/api\/endpoints\/([^/]+)$/, "PUT", putEndpoint as never, ["name"]],
  [/^\/api\/endpoints\/([^/]+)$/, "DELETE", deleteEndpoint as never, ["name"]],
  [/^\/api\/endpoints\/([^/]+)$/, "GET", getEndpoint as never, ["name"]],
  [/^\/api\/endpoints\/([^/]+)\/try$/, "POST", tryEndpoint as never, ["name"]],
  [/^\/api\/endpoints\/([^/]+)\/predictions$/, "GET", predictions as never, ["name"]],
  [/^\/api\/models\/([^/]+)$/, "GET", getModel as never, ["name"]],
  [/^\/api\/models\/([^/]+)$/, "DELETE", deleteModel as never, ["name"]],
  [/^\/api\/models\/([^/]+)\/versions\/([^/]+)$/, "PATCH", patchVersion as never, ["name", "version"]],
  [/^\/api\/models\/([^/]+)\/versions\/([^/]+)$/, "DELETE", deleteVersion as never, ["name", "version"]],
];

// The data plane `ferry infer` reaches through the control plane's Try-it route, named before the configuration is read.
const planePort = await freePort();
process.env.FERRY_INFERENCE_URL = `http://127.0.0.1:${planePort}`;

let server: http.Server;
let dir: string;
const out: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-cli-"));
  server = http.createServer(async (req, res) => {
    const url = new URL(req.url!, "http://localhost");
    const route = ROUTES.find(([re, method]) => method === req.method && re.test(url.pathname));
    if (!route) return res.writeHead(404).end();
    const m = route[0].exec(url.pathname)!;
    const params = Object.fromEntries(route[3].map((k, i) => [k, decodeURIComponent(m[i + 1])]));
    const body = req.method === "GET" || req.method === "DELETE" ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>);
    const nreq = new NextRequest(url, { method: req.method, headers: req.headers as Record<string, string>, body, duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]);
    const r = await route[2](nreq, { params: Promise.resolve(params) });
    res.writeHead(r.status, Object.fromEntries(r.headers));
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  process.env.FERRY_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.FERRY_TOKEN = await makeToken("operator", ["read", "write", "infer"]);
  vi.spyOn(console, "log").mockImplementation((...a) => void out.push(a.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...a) => void out.push(a.join(" ")));
});

afterAll(async () => {
  vi.restoreAllMocks();
  await new Promise<void>((r) => server.close(() => r()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("ferry upload / promote / rollback", () => {
  it("uploads with a reference and an alias, promotes and rolls back", async () => {
    const name = uniqueName("cli");
    const model = path.join(dir, "m.onnx");
    fs.writeFileSync(model, mlpModel({ inputs: 2, hidden: 3, outputs: 2 }));
    const ref = path.join(dir, "ref.csv");
    fs.writeFileSync(ref, "a,b\n1,2\n3,4\n");

    out.length = 0;
    expect(await runUpload([model, "--model", name, "--reference", ref, "--alias", "staging", "--description", "from cli"])).toBe(0);
    expect(out.join("\n")).toMatch(new RegExp(`${name} v1: ready[\\s\\S]*sha256 [0-9a-f]{64}[\\s\\S]*input  x\\s+FP32\\s+\\[-1, 2\\][\\s\\S]*'staging' → v1`));

    const labels = path.join(dir, "labels.txt");
    fs.writeFileSync(labels, "no\nyes\n");
    out.length = 0;
    expect(await runUpload([model, "--model", name, "--labels", labels, "--metric", "auc=0.91", "--metric", "val/loss=0.3"])).toBe(0);
    expect(out.join("\n")).toMatch(/output probs\s+FP32\s+\[-1, 2\]  labels: no, yes/);
    expect(out.join("\n")).toContain("  metrics auc=0.91 · val/loss=0.3");
    out.length = 0;
    expect(await runUpload([model, "--model", name, "--metric", "auc"])).toBe(1);
    expect(out.join("\n")).toContain("line 1 of the metrics is not name=value: 'auc'");
    out.length = 0;
    expect(await runModel(["metrics", name, "v2", "auc=0.93", "f1=0.8"])).toBe(0);
    expect(out.join("\n")).toContain(`${name} v2: training metrics saved: auc 0.93 · f1 0.8`);
    expect(await runModel(["metrics", name, "2", "--clear"])).toBe(0);
    // Replaced and removed later with `ferry model labels`; a file that does not fit is refused with the reason.
    fs.writeFileSync(labels, "deny\nallow\n");
    out.length = 0;
    expect(await runModel(["labels", name, "v2", labels])).toBe(0);
    expect(out.join("\n")).toMatch(new RegExp(`${name} v2: class labels saved[\\s\\S]*labels: deny, allow`));
    fs.writeFileSync(labels, "one\n");
    out.length = 0;
    expect(await runModel(["labels", name, "2", labels])).toBe(1);
    expect(out.join("\n")).toContain("class labels: output 'probs' has 2 classes (shape [-1,2]) but the labels file gives it 1 labels");
    expect(await runModel(["labels", name, "2", "--clear"])).toBe(0);
    expect(await runModel(["labels", name, "2"])).toBe(2);
    expect(await runPromote([name, "1", "--alias", "production"])).toBe(0);
    expect(await runPromote([name, "v2", "--alias", "production"])).toBe(0);
    out.length = 0;
    expect(await runRollback([name, "--alias", "production"])).toBe(0);
    expect(out.join("\n")).toContain(`${name}:production rolled back v2 → v1`);
  });

  it("exits non-zero with a clear message", async () => {
    const junk = path.join(dir, "junk.onnx");
    fs.writeFileSync(junk, "definitely not onnx");
    out.length = 0;
    expect(await runUpload([junk, "--model", uniqueName("junk")])).toBe(1);
    expect(out.join("\n")).toMatch(/failed validation: not an ONNX model/);
    expect(await runUpload(["--model", "x"])).toBe(2);
    expect(await runUpload([path.join(dir, "missing.onnx"), "--model", "x"])).toBe(2);
    expect(await runPromote(["x", "1", "--bogus"])).toBe(2);
    out.length = 0;
    expect(await runRollback([uniqueName("nope"), "--alias", "production"])).toBe(1);
    expect(out.join("\n")).toMatch(/not found/);
  });
});

describe("ferry endpoint / predictions", () => {
  it("creates, lists and deletes an endpoint, and downloads its prediction log", async () => {
    const model = uniqueName("cli-ep");
    const file = path.join(dir, "ep.onnx");
    fs.writeFileSync(file, mlpModel({ inputs: 2, hidden: 3, outputs: 2 }));
    expect(await runUpload([file, "--model", model, "--alias", "production"])).toBe(0);
    expect(await runUpload([file, "--model", model])).toBe(0);

    const name = `${model}-api`;
    out.length = 0;
    expect(await runEndpoint(["create", name, "--model", model, "--alias", "production", "--description", "from ci"])).toBe(0);
    expect(out.join("\n")).toContain(`endpoint ${name} created: primary 100% → production (v1)`);
    expect(await runEndpoint(["create", `${model}-pinned`, "--model", model, "--version", "v2"])).toBe(0);
    out.length = 0;
    expect(await runEndpoint(["list"])).toBe(0);
    expect(out.join("\n")).toContain(`${name}  (${model}, generation 1)\n  primary 100% → production (v1)`);
    expect(out.join("\n")).toContain(`${model}-pinned  (${model}, generation 1)\n  primary 100% → v2`);

    // Creating over an existing endpoint is refused with the server's reason; bad arguments print the usage.
    out.length = 0;
    expect(await runEndpoint(["create", name, "--model", model, "--version", "2"])).toBe(1);
    expect(out.join("\n")).toContain(`ferry endpoint: endpoint '${name}' already exists (generation 1)`);
    out.length = 0;
    expect(await runEndpoint(["create", name, "--model", model, "--alias", "production", "--version", "2"])).toBe(2);
    expect(out.join("\n")).toContain("create needs --model and exactly one of --alias or --version");
    expect(await runEndpoint(["rename", name])).toBe(2);

    // The prediction log, as JSON Lines, newest first, to a file.
    const db = await getDb();
    const endpoint = await db.endpoint.findUniqueOrThrow({ where: { name } });
    const t0 = Date.now() - 60_000;
    await db.predictionLog.createMany({
      data: [0, 1, 2].map((i) => ({ logKey: `${name}-r${i}`, requestId: `${name}-r${i}`, endpointId: endpoint.id, version: 1, latencyMs: 1 + i, createdAt: new Date(t0 + i * 1000), inputs: { x: { datatype: "FP32", shape: [1, 2], data: [i, i] } } })),
    });
    const jsonl = path.join(dir, "predictions.jsonl");
    out.length = 0;
    expect(await runPredictions([name, "--limit", "2", "--out", jsonl])).toBe(0);
    expect(out.join("\n")).toContain(`2 predictions of ${name} written to ${jsonl}`);
    const lines = fs.readFileSync(jsonl, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.requestId, l.inputs[0].values])).toEqual([[`${name}-r2`, [2, 2]], [`${name}-r1`, [1, 1]]]);
    out.length = 0;
    expect(await runPredictions([`${model}-nope`])).toBe(1);
    expect(out.join("\n")).toContain(`ferry predictions: endpoint '${model}-nope' not found`);
    expect(await runPredictions([name, "--limit", "99999"])).toBe(1);

    out.length = 0;
    expect(await runEndpoint(["delete", name])).toBe(0);
    expect(out.join("\n")).toContain(`endpoint ${name} deleted (model ${model} and its versions stay)`);
    out.length = 0;
    expect(await runEndpoint(["delete", name])).toBe(1);
    expect(out.join("\n")).toContain(`ferry endpoint: endpoint '${name}' not found`);
  });
});

/** Uploads `count` versions of a small MLP (seeds 1…count, so each has its own bytes) with `ferry upload`. */
async function uploadVersions(name: string, count: number): Promise<void> {
  for (let seed = 1; seed <= count; seed++) {
    fs.writeFileSync(path.join(dir, `${name}.onnx`), mlpModel({ inputs: 2, hidden: 3, outputs: 2, seed }));
    expect(await runUpload([path.join(dir, `${name}.onnx`), "--model", name])).toBe(0);
  }
}

describe("ferry prune", () => {
  it("archives and deletes versions older than the newest N, keeping aliased ones and those an endpoint routes to", async () => {
    const name = uniqueName("prune");
    await uploadVersions(name, 5);
    expect(await runPromote([name, "2", "--alias", "production"])).toBe(0);
    const db = await getDb();
    const model = await db.model.findUniqueOrThrow({ where: { name } });
    const ep = await db.endpoint.create({ data: { name: uniqueName("pruned-ep"), modelId: model.id, config: { model: name, variants: [{ name: "a", version: 3, weight: 1 }] } } });

    out.length = 0;
    expect(await runPrune([name, "--keep", "1", "--dry-run"])).toBe(0);
    expect(out).toEqual([`${name}: would prune v1, v3, v4`, "  kept v2: alias 'production' names it"]);
    expect(await db.modelVersion.count({ where: { modelId: model.id } })).toBe(5);

    out.length = 0;
    expect(await runPrune([name, "--keep", "1"])).toBe(0);
    expect(out[0]).toMatch(new RegExp(`^${name}: pruned v1, v4 \\(\\d+ bytes of files freed\\)$`));
    expect(out.slice(1)).toEqual([
      "  kept v2: alias 'production' names it",
      `  kept v3: version 3 cannot be archived: endpoint '${ep.name}' routes to it. Change the routing first.`,
    ]);
    const left = await db.modelVersion.findMany({ where: { modelId: model.id }, orderBy: { version: "asc" } });
    expect(left.map((v) => [v.version, v.status])).toEqual([[2, "ready"], [3, "ready"], [5, "ready"]]);
    expect(await db.auditEvent.count({ where: { action: "version.delete", objectId: { in: [`${name}@1`, `${name}@4`] } } })).toBe(2);

    out.length = 0;
    expect(await runPrune([name, "--keep", "two"])).toBe(2);
    expect(out.join("\n")).toContain("usage: ferry prune NAME --keep N");
  });
});

describe("ferry model delete", () => {
  it("deletes one version (archiving it first with --archive, refused with the reason while an alias names it), then the model", async () => {
    const name = uniqueName("del");
    await uploadVersions(name, 3);
    expect(await runPromote([name, "3", "--alias", "production"])).toBe(0);
    const db = await getDb();
    const model = await db.model.findUniqueOrThrow({ where: { name } });
    const versions = async () => (await db.modelVersion.findMany({ where: { modelId: model.id }, orderBy: { version: "asc" } })).map((v) => [v.version, v.status]);

    out.length = 0;
    expect(await runModel(["delete", name, "1"])).toBe(1);
    expect(out).toEqual([`ferry model: version 1 is ready: archive it first (archiving checks that no endpoint or alias uses it), then delete it (ferry model delete ${name} 1 --archive does both)`]);
    out.length = 0;
    expect(await runModel(["delete", name, "v1", "--archive"])).toBe(0);
    expect(out[0]).toMatch(new RegExp(`^${name} v1 deleted \\(\\d+ bytes of files freed\\); its number is not given again$`));
    out.length = 0;
    expect(await runModel(["delete", name, "3", "--archive"])).toBe(1);
    expect(out).toEqual(["ferry model: version 3 cannot be archived: alias 'production' points to it. Move the alias first."]);
    expect(await versions()).toEqual([[2, "ready"], [3, "ready"]]);
    expect(await db.auditEvent.count({ where: { action: "version.delete", objectId: `${name}@1` } })).toBe(1);

    out.length = 0;
    expect(await runModel(["delete", name, "x"])).toBe(2);
    expect(await runModel(["delete", name, "--archive"])).toBe(2);
    expect(out.join("\n")).toContain("usage: ferry model delete NAME");

    out.length = 0;
    expect(await runModel(["delete", name])).toBe(0);
    expect(out).toEqual([expect.stringMatching(new RegExp(`^model ${name} deleted with 2 versions; \\d+ files? removed \\(\\d+ bytes freed\\)$`))]);
    expect(await db.model.count({ where: { name } })).toBe(0);
    out.length = 0;
    expect(await runModel(["delete", name])).toBe(1);
    expect(out.join("\n")).toContain(`ferry model: model '${name}' not found`);
  });
});

describe("ferry infer", () => {
  it("sends the served version's example or the given request through the endpoint, and exits non-zero on a refusal", async () => {
    const name = uniqueName("inf");
    fs.writeFileSync(path.join(dir, "i.onnx"), mlpModel({ inputs: 3, hidden: 4, outputs: 2 }));
    fs.writeFileSync(path.join(dir, "i.labels"), "stay\nleave\n");
    expect(await runUpload([path.join(dir, "i.onnx"), "--model", name, "--labels", path.join(dir, "i.labels"), "--alias", "production"])).toBe(0);
    expect(await runEndpoint(["create", name, "--model", name, "--alias", "production"])).toBe(0);
    const plane = await startDataPlane({ logger: quietLogger, shutdownGraceMs: 100, host: "127.0.0.1", port: planePort, workers: 1, databaseUrl: null });
    try {
      // What a pipeline does after creating or changing an endpoint: wait until every data plane serves it.
      out.length = 0;
      expect(await runEndpoint(["wait", name, "--timeout", "60"])).toBe(0);
      expect(out.at(-1)).toMatch(new RegExp(`^endpoint ${name}: generation 1 served by \\d+ data planes?$`));
      out.length = 0;
      expect(await runEndpoint(["wait", "no-such-endpoint"])).toBe(1);
      expect(await runEndpoint(["wait", name, "--timeout", "soon"])).toBe(2);
      expect(out[0]).toBe("ferry endpoint: endpoint 'no-such-endpoint' not found");
      // (On a full run's shared Postgres other files' data planes serve it too and may have answered for it first.)
      await waitFor(() => plane.internals.serving.active.has(name), 10_000, "this file's data plane to serve it");
      out.length = 0;
      expect(await runInfer([name])).toBe(0);
      const [first, second, third, ...rest] = out.join("\n").split("\n");
      expect(first).toMatch(new RegExp(`^${name}: 200 from version 1 in \\d+\\.\\d ms$`));
      // The MLP's softmax over two classes, for the zeros of the example request, and its classes by label, highest first.
      expect(second).toMatch(/^ {2}probs FP32 \[1, 2\]: \[0\.\d+, 0\.\d+\]$/);
      const [p0, p1] = JSON.parse(second.slice(second.lastIndexOf("["))) as number[];
      const ranked = p0 >= p1 ? [["stay", p0], ["leave", p1]] : [["leave", p1], ["stay", p0]];
      expect(third).toBe(`    top classes: ${ranked.map(([l, v]) => `${l} ${Number(Number(v).toPrecision(4))}`).join(" · ")}`);
      expect(rest).toEqual([]);

      out.length = 0;
      const request = { inputs: [{ name: "x", datatype: "FP32", shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }] };
      expect(await runInfer([name, "--data", JSON.stringify(request), "--header", "x-experiment=a", "--json"])).toBe(0);
      const answer = JSON.parse(out.join("\n"));
      expect(answer).toMatchObject({ status: 200, servedVersion: "1", body: { model_name: name, model_version: "1" } });
      expect(answer.body.outputs[0].shape).toEqual([2, 2]);

      fs.writeFileSync(path.join(dir, "bad.json"), JSON.stringify({ inputs: [{ name: "x", datatype: "FP32", shape: [1, 3], data: [1, 2] }] }));
      out.length = 0;
      expect(await runInfer([name, "--file", path.join(dir, "bad.json")])).toBe(1);
      expect(out).toEqual([`ferry infer: ${name} answered 400: input 'x': expected 3 elements for shape [1,3], got 2`]);

      out.length = 0;
      expect(await runInfer([name, "--data", "{"])).toBe(2);
      expect(await runInfer([name, "--file", path.join(dir, "missing.json")])).toBe(2);
      expect(await runInfer([name, "--header", "nope"])).toBe(2);
      expect(out.join("\n")).toContain("the request is not valid JSON (--data)");
      expect(out.join("\n")).toContain("missing.json: ENOENT");
      out.length = 0;
      expect(await runInfer(["no-such-endpoint"])).toBe(1);
      expect(out).toEqual(["ferry infer: endpoint 'no-such-endpoint' not found"]);
    } finally {
      await plane.close();
    }
  });
});
