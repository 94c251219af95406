/**
 * Helpers for the data plane's integration tests: models, versions with artifacts in the (per-test-file) artifact
 * store, endpoints, tokens, and a client for the plane. Each call makes uniquely named rows.
 */
import { fork, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import pino from "pino";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { afterAll, beforeAll } from "vitest";
import { getDb, type Db } from "@/lib/db/client";
import { SYSTEM_ACTOR } from "@/lib/audit/record-audit";
import { multipartBody, newBoundary } from "@/lib/http/multipart-body";
import { uploadVersion } from "@/lib/registry/upload-version";
import { artifactKeyFor, artifactPath } from "@/lib/artifacts/artifact-path";
import { generateTokenSecret, hashTokenSecret, tokenDisplayPrefix } from "@/lib/auth/api-token-secret";
import { inspectModel } from "@/lib/onnx/inspect-model";
import { servableModel } from "@/lib/onnx/servable-model";
import { declaredLabels } from "@/lib/registry/declared-class-labels";
import { notifyDesiredState } from "@/lib/endpoints/notify-desired-state";
import type { EndpointConfigInput } from "@/lib/routing/endpoint-config.schema";
import { startDataPlane, type DataPlane, type StartDataPlaneOptions } from "./start-data-plane";

/** The planes' logs in tests: each test file's plane also sees other files' endpoints, whose artifacts are gone. */
export const quietLogger = pino({ level: process.env.FERRY_TEST_LOG ?? "silent" });

/** A port free right now (for a data plane that a test's configuration must name before it starts). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

export function unique(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(4).toString("hex")}`;
}

/** Writes the artifact and a ready ModelVersion row (creating the model on first use); returns the version number. */
export async function addVersion(model: string, bytes: Uint8Array, opts: { alias?: string; labels?: Record<string, string[]> } = {}): Promise<number> {
  const db = await getDb();
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  const storageKey = artifactKeyFor(sha256);
  const file = artifactPath(storageKey);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  const m = await db.model.upsert({ where: { name: model }, create: { name: model }, update: {} });
  const last = await db.modelVersion.findFirst({ where: { modelId: m.id }, orderBy: { version: "desc" } });
  const version = (last?.version ?? 0) + 1;
  // The signature as validation writes it: of the servable form, with the labels the model declares unless labels are given.
  const servable = servableModel(bytes);
  const inspection = inspectModel(servable.bytes);
  const labels = opts.labels ?? declaredLabels(servable.unzipped, inspection.classLabels, inspection.signature);
  const v = await db.modelVersion.create({
    data: {
      modelId: m.id,
      version,
      status: "ready",
      sha256,
      sizeBytes: BigInt(bytes.length),
      storageKey,
      signature: { ...inspection.signature, ...(labels && { labels }) } as object,
    },
  });
  if (opts.alias) {
    await db.alias.upsert({
      where: { modelId_name: { modelId: m.id, name: opts.alias } },
      create: { modelId: m.id, name: opts.alias, versionId: v.id },
      update: { versionId: v.id },
    });
  }
  return version;
}

/**
 * Uploads a version through the registry like `POST /api/models/{name}/versions` (validated in a child process:
 * signature, smoke run); returns the version number, which must be ready.
 */
export async function uploadModelVersion(model: string, bytes: Uint8Array): Promise<number> {
  const boundary = newBoundary();
  const v = await uploadVersion({
    db: await getDb(),
    actor: SYSTEM_ACTOR,
    modelName: model,
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: null,
    body: multipartBody(boundary, [{ name: "file", filename: `${model}.onnx`, data: bytes }]),
  });
  if (v.status !== "ready") throw new Error(`the upload of ${model} was not accepted: ${JSON.stringify(v)}`);
  return v.version;
}

export async function putEndpointRow(name: string, config: EndpointConfigInput): Promise<void> {
  const db = await getDb();
  const model = await db.model.findUniqueOrThrow({ where: { name: config.model } });
  await db.endpoint.upsert({
    where: { name },
    create: { name, modelId: model.id, config: config as object },
    update: { config: config as object, generation: { increment: 1 } },
  });
  await notifyDesiredState(name);
}

export async function makeInferToken(scopes: string[] = ["infer"]): Promise<{ secret: string; id: string }> {
  const db = await getDb();
  const secret = generateTokenSecret();
  const t = await db.apiToken.create({
    data: { name: unique("infer"), role: "operator", scopes, hash: hashTokenSecret(secret), prefix: tokenDisplayPrefix(secret) },
  });
  return { secret, id: t.id };
}

export interface PlaneResponse {
  status: number;
  headers: Headers;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  bytes: Buffer;
}

export async function planeFetch(port: number, p: string, init: RequestInit & { token?: string } = {}): Promise<PlaneResponse> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  const res = await fetch(`http://127.0.0.1:${port}${p}`, { ...init, headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json: unknown;
  if ((res.headers.get("content-type") ?? "").includes("json")) json = JSON.parse(bytes.toString("utf8"));
  return { status: res.status, headers: res.headers, json, bytes };
}

/**
 * Sends requests that reach the plane at (nearly) the same moment: every connection is opened first, then all
 * requests are written in one synchronous loop. fetch connects per request, so its requests arrive spread over
 * milliseconds — longer than a run of a small model, which then never has company to batch with.
 */
export async function sendAtOnce(port: number, requests: { path: string; token: string; body: string }[]): Promise<{ status: number; headers: Record<string, string>; json: any }[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const sockets = await Promise.all(
    requests.map(
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect(port, "127.0.0.1", () => resolve(s));
          s.once("error", reject);
        }),
    ),
  );
  const answers = sockets.map(
    (s) =>
      new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        s.on("data", (c) => chunks.push(c));
        s.once("end", () => resolve(Buffer.concat(chunks)));
        s.once("error", reject);
      }),
  );
  requests.forEach((r, i) => {
    const body = Buffer.from(r.body);
    const head = `POST ${r.path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${r.token}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`;
    sockets[i].write(Buffer.concat([Buffer.from(head), body]));
  });
  return Promise.all(
    answers.map(async (a) => {
      const bytes = await a;
      const split = bytes.indexOf("\r\n\r\n");
      const headers: Record<string, string> = {};
      for (const line of bytes.toString("latin1", 0, split).split("\r\n").slice(1)) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      return { status: Number(bytes.toString("latin1", 9, 12)), headers, json: JSON.parse(bytes.toString("utf8", split + 4)) };
    }),
  );
}

export function inferBody(inputs: { name: string; datatype: string; shape: number[]; data: unknown }[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...extra, inputs });
}

/** n rows of the test MLP's input (32 features each), the same for the same seed. */
export function mlpInput(n: number, seed: number): number[] {
  return Array.from({ length: n * 32 }, (_, i) => Math.cos(i * 0.11 + seed));
}

/**
 * Requests from `clients` concurrent loops, each sending its next request as soon as the last one is answered, until
 * stop(). Whatever `send` returns is kept in order of completion; a `send` that throws (connection refused or
 * reset…) is kept as a failure, never lost.
 */
export function continuousLoad<T>(clients: number, send: (client: number, i: number) => Promise<T>) {
  let stopped = false;
  const results: T[] = [];
  const thrown: string[] = [];
  const loops = Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; !stopped; i++) {
      try {
        results.push(await send(c, i));
      } catch (e) {
        thrown.push(`client ${c}, request ${i}: ${(e as Error).message}`);
      }
    }
  });
  return {
    results,
    thrown,
    async stop(): Promise<void> {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/** Runs `task` over `items` with at most `concurrency` at a time; results in the items' order. */
export async function mapConcurrent<I, T>(items: readonly I[], concurrency: number, task: (item: I) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i]);
      }
    }),
  );
  return out;
}

export interface PlaneProcess {
  port: number;
  instanceId: string;
  child: ChildProcess;
  /** The generation this process routes `endpoint` with (null: not served). */
  activeGeneration(endpoint: string): Promise<number | null>;
  /** SIGKILL: no drain, no flush, no goodbye, as a crash or an OOM kill. */
  kill(): Promise<void>;
  /** SIGTERM: the plane's graceful shutdown. */
  stop(): Promise<void>;
}

const planeProcesses = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of planeProcesses) c.kill("SIGKILL");
});

/**
 * Starts a data plane in its own process (inference/data-plane-test-process.ts) on this test's database and artifact
 * store, and resolves once it is ready. Needs a real Postgres (PGlite serves one process).
 */
export function startPlaneProcess(): Promise<PlaneProcess> {
  const instanceId = unique("plane");
  const child = fork(path.join(path.dirname(new URL(import.meta.url).pathname), "data-plane-test-process.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: { ...process.env, FERRY_TEST_INSTANCE_ID: instanceId },
  });
  planeProcesses.add(child);
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => planeProcesses.delete(child));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      child.kill("SIGKILL");
      reject(new Error(`${why}; its last output:\n${output}`));
    };
    const timer = setTimeout(() => fail("the data-plane process was not ready within 120 s"), 120_000);
    const early = (code: number | null, signal: string | null) => fail(`the data-plane process exited before it was ready (code ${code}, signal ${signal})`);
    child.once("exit", early);
    child.once("message", (m: { port?: number; error?: string }) => {
      clearTimeout(timer);
      child.off("exit", early);
      if (m.error || !m.port) return fail(`the data-plane process failed to start: ${m.error}`);
      resolve({
        port: m.port,
        instanceId,
        child,
        activeGeneration: (endpoint) =>
          new Promise((answer) => {
            const onMessage = (r: { endpoint?: string; generation?: number | null }) => {
              if (r.endpoint !== endpoint) return;
              child.off("message", onMessage);
              answer(r.generation ?? null);
            };
            child.on("message", onMessage);
            child.send({ activeGeneration: endpoint });
          }),
        kill: () => end("SIGKILL"),
        stop: () => end("SIGTERM"),
      });
    });
  });
}

/**
 * A data plane in this process for the calling test file (started in beforeAll, closed in afterAll), and a token for
 * it: quiet, one worker, a free port, rollups flushed every 200 ms, and a resync only every minute, so a change a test
 * waits for must reach the plane through its notification. Read `.plane` and `.token` inside tests.
 */
export function setUpTestPlane(overrides: StartDataPlaneOptions = {}): { plane: DataPlane; token: string } {
  const ctx = {} as { plane: DataPlane; token: string };
  beforeAll(async () => {
    ctx.token = (await makeInferToken()).secret;
    ctx.plane = await startDataPlane({
      logger: quietLogger,
      shutdownGraceMs: 0,
      host: "127.0.0.1",
      port: 0,
      workers: 1,
      resyncMs: 60_000,
      flushMs: 200,
      databaseUrl: undefined,
      logSampleRate: 0,
      ...overrides,
    });
  }, 120_000);
  afterAll(async () => {
    await ctx.plane?.close();
  });
  return ctx;
}

/** The sum of a metric's samples on the plane's `/metrics` whose labels include all of `labels`. */
export async function metricSum(port: number, name: string, labels: Record<string, string>): Promise<number> {
  const text = (await planeFetch(port, "/metrics")).bytes.toString();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)))
    .reduce((n, l) => n + Number(l.split(" ").at(-1)), 0);
}

/** Waits until the in-process plane routes `endpoint` with `generation` (a change reached it and was swapped in). */
export function waitForGeneration(plane: DataPlane, endpoint: string, generation: number, timeoutMs = 15_000): Promise<void> {
  return waitFor(() => plane.internals.serving.active.get(endpoint)?.generation === generation, timeoutMs, `the plane to serve ${endpoint} at generation ${generation}`);
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A TCP proxy to the database that a test can cut (every connection dropped, new ones refused) and restore. */
function cuttableProxy(target: URL) {
  let up = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!up) return client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  return {
    listen: () => new Promise<number>((r) => server.listen(0, "127.0.0.1", () => r((server.address() as net.AddressInfo).port))),
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      up = true;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * A Prisma client for `databaseUrl` whose connections go through a proxy the test can cut and restore: a real outage.
 * `url` is the proxied address (for LISTEN).
 */
export async function cuttableDatabase(databaseUrl: string): Promise<{ db: Db; url: string; cut(): void; restore(): void; close(): Promise<void> }> {
  const proxy = cuttableProxy(new URL(databaseUrl));
  const proxied = new URL(databaseUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(await proxy.listen());
  const pool = new pg.Pool({ connectionString: proxied.toString(), max: 4, connectionTimeoutMillis: 1_000 });
  pool.on("error", () => {});
  const db = new PrismaClient({ adapter: new PrismaPg(pool), omit: { user: { passwordHash: true }, apiToken: { hash: true } } }) as Db;
  return {
    db,
    url: proxied.toString(),
    cut: () => proxy.cut(),
    restore: () => proxy.restore(),
    async close() {
      await db.$disconnect();
      await pool.end().catch(() => {});
      await proxy.close();
    },
  };
}
