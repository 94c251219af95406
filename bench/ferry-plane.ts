/**
 * Ferry's data plane as a benchmark target, in its own process: an embedded database in a fresh temp
 * FERRY_DATA_DIR, the model uploaded through the registry (validated like any upload), an endpoint routing 100 % to
 * it, an API token with the `infer` scope, then `startDataPlane` with its defaults — authentication, routing,
 * dynamic batching, Prometheus metrics, rollups and sampled prediction logs all on, as `ferry start` runs them. The
 * version is uploaded with a reference dataset, so every answered request also feeds the drift sketches.
 *
 * argv[2] = path of the .onnx model; argv[3], when given, = a Postgres server URL: a database is created on it for the
 * run (and dropped after) instead of the embedded one. Serves gRPC too (a free port), as `ferry start` does. Sends
 * `{ port, grpcPort, token, endpoint, workers }` to the parent once
 * `/v2/models/<endpoint>/ready` answers 200. Stops (gracefully, removing its temp dir) on SIGTERM/SIGINT or when the
 * parent goes away.
 *
 * Event-loop delay: `{ loopDelay: "start" }` and `{ loopDelay: "stop" }` around a load run answer `{ loopDelayMaxMs }`, the
 * longest the HTTP thread was held (what a request arriving at the wrong moment waits; perf_hooks' histogram).
 *
 * Profiling: the parent may send `{ profile: "start" }` and `{ profile: "stop", file }` around a load run; the HTTP
 * thread's V8 CPU profile of exactly that window is written to `file` and `{ profiled: file }` sent back.
 */
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import { monitorEventLoopDelay } from "node:perf_hooks";
import os from "node:os";
import path from "node:path";
import { createScratchDatabase, databaseUrl } from "@/lib/db/scratch-database";
import { INPUTS, inputRows } from "./request-rows";

const ENDPOINT = "bench-mlp";

async function main() {
  const modelPath = process.argv[2];
  if (!modelPath) throw new Error("usage: ferry-plane.ts <model.onnx>");
  // Before anything imports lib/config: it reads the environment once.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-bench-"));
  process.env.FERRY_DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  const postgres = process.argv[3] ? await createDatabase(process.argv[3]) : undefined;
  if (postgres) process.env.DATABASE_URL = postgres.url;
  process.env.FERRY_LOG_LEVEL ??= "warn";

  const { migrateDatabase } = await import("@/lib/db/migrate");
  const { getDb, closeDb } = await import("@/lib/db/client");
  const { SYSTEM_ACTOR } = await import("@/lib/audit/record-audit");
  const { multipartBody, newBoundary } = await import("@/lib/http/multipart-body");
  const { uploadVersion } = await import("@/lib/registry/upload-version");
  const { putEndpoint } = await import("@/lib/endpoints/put-endpoint");
  const { createApiToken } = await import("@/lib/tokens/create-api-token");
  const { startDataPlane } = await import("@/inference/start-data-plane");

  let plane: Awaited<ReturnType<typeof startDataPlane>> | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (code: number) => {
    stopping ??= (async () => {
      setTimeout(() => process.exit(code), 10_000).unref();
      try {
        await plane?.close();
        await closeDb();
        await postgres?.drop();
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
        process.exit(code);
      }
    })();
  };
  process.on("SIGTERM", () => stop(0));
  process.on("SIGINT", () => stop(0));
  process.on("disconnect", () => stop(0));

  try {
    await migrateDatabase();
    const db = await getDb();
    const boundary = newBoundary();
    const bytes = fs.readFileSync(modelPath);
    const version = await uploadVersion({
      db,
      actor: SYSTEM_ACTOR,
      modelName: ENDPOINT,
      contentType: `multipart/form-data; boundary=${boundary}`,
      contentLength: null,
      body: multipartBody(boundary, [
        { name: "file", filename: path.basename(modelPath), data: bytes },
        { name: "reference", filename: "reference.csv", data: referenceCsv() },
      ]),
    });
    if (version.status !== "ready") throw new Error(`the model upload was not accepted: ${JSON.stringify(version)}`);
    await putEndpoint({
      db,
      name: ENDPOINT,
      body: { model: ENDPOINT, variants: [{ name: "main", version: version.version, weight: 100 }] },
      actor: SYSTEM_ACTOR,
    });
    const { secret } = await createApiToken({ db, name: "bench", role: "operator", scopes: ["infer"], actor: SYSTEM_ACTOR, actorRole: "admin" });

    plane = await startDataPlane({ host: "127.0.0.1", port: 0, grpcPort: 0 });
    const until = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${plane.port}/v2/models/${ENDPOINT}/ready`, { headers: { authorization: `Bearer ${secret}` } });
      if (res.status === 200) break;
      if (Date.now() > until) throw new Error(`endpoint not ready after 60 s (last status ${res.status}: ${await res.text()})`);
      await new Promise((r) => setTimeout(r, 50));
    }
    process.send?.({ port: plane.port, grpcPort: plane.grpcPort, token: secret, endpoint: ENDPOINT, workers: plane.internals.pool.size });
  } catch (e) {
    process.send?.({ error: e instanceof Error ? e.message : String(e) });
    console.error(e);
    stop(1);
  }
}

/** A fresh database on the server `serverUrl` names, and the function that drops it. */
async function createDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ferry_bench_${Date.now()}_${process.pid}`;
  return { url: databaseUrl(serverUrl, name), drop: await createScratchDatabase(serverUrl, name) };
}

/** 500 rows of the bench's own request rows (so the sketches see the usual traffic). */
function referenceCsv(): Buffer {
  const data = inputRows(500);
  const header = Array.from({ length: INPUTS }, (_, i) => `f${i}`).join(",");
  const rows = Array.from({ length: 500 }, (_, r) => Array.from(data.subarray(r * INPUTS, (r + 1) * INPUTS), (v) => v.toFixed(4)).join(","));
  return Buffer.from([header, ...rows].join("\n"));
}

/** The HTTP thread's longest hold over the windows the parent asks for. */
function serveLoopDelayRequests(): void {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  process.on("message", (m: { loopDelay?: "start" | "stop" }) => {
    if (m.loopDelay === "start") {
      histogram.reset();
      histogram.enable();
      process.send?.({ loopDelayStarted: true });
    } else if (m.loopDelay === "stop") {
      histogram.disable();
      process.send?.({ loopDelayMaxMs: histogram.max / 1e6 });
    }
  });
}

/** CPU profiles of the main (HTTP) thread over the windows the parent asks for. */
function serveProfileRequests(): void {
  let session: Session | undefined;
  process.on("message", async (m: { profile?: "start" | "stop"; file?: string }) => {
    try {
      if (m.profile === "start") {
        session = new Session();
        session.connect();
        await session.post("Profiler.enable");
        await session.post("Profiler.setSamplingInterval", { interval: 200 });
        await session.post("Profiler.start");
        process.send?.({ profiling: true });
      } else if (m.profile === "stop" && session && m.file) {
        const { profile } = await session.post("Profiler.stop");
        session.disconnect();
        session = undefined;
        fs.mkdirSync(path.dirname(m.file), { recursive: true });
        fs.writeFileSync(m.file, JSON.stringify(profile));
        process.send?.({ profiled: m.file });
      }
    } catch (e) {
      process.send?.({ profileError: e instanceof Error ? e.message : String(e) });
    }
  });
}

serveProfileRequests();
serveLoopDelayRequests();
main();
