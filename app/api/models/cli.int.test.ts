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
import { makeToken, uniqueName } from "@/lib/registry/registry-test-kit";
import { mlpModel } from "@/lib/registry/test-models";

/** The three routes the CLI uses, behind a real HTTP server (so fetch streams the multipart body for real). */
const ROUTES: [RegExp, string, (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>, string[]][] = [
  [/^\/api\/models\/([^/]+)\/versions$/, "POST", upload as never, ["name"]],
  [/^\/api\/models\/([^/]+)\/aliases\/([^/]+)$/, "PUT", putAlias as never, ["name", "alias"]],
  [/^\/api\/models\/([^/]+)\/aliases\/([^/]+)\/rollback$/, "POST", rollback as never, ["name", "alias"]],
];

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
    const body = req.method === "GET" ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>);
    const nreq = new NextRequest(url, { method: req.method, headers: req.headers as Record<string, string>, body, duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]);
    const r = await route[2](nreq, { params: Promise.resolve(params) });
    res.writeHead(r.status, Object.fromEntries(r.headers));
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  process.env.FERRY_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.FERRY_TOKEN = await makeToken("operator");
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

    expect(await runUpload([model, "--model", name])).toBe(0);
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
