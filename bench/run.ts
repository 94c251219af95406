/**
 * `npm run bench [-- --seconds N] [-- --quick] [-- --profile]`: Ferry's data plane against onnxruntime in-process
 * (the compute limit), a bare node:http server (the HTTP limit), the data plane's own HTTP/1 server answering a
 * constant (its HTTP limit) and a naive node:http + onnxruntime server, on one model and machine, in one run. Every
 * server and every load generator is its own process. Prints a markdown table and the ratios of issue 4, writes
 * bench/results/latest.json. A benchmark, not a test: exits 0 whatever the
 * figures, 1 only if something failed to start or answered wrongly. See bench/README.md.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { buildMlp } from "@/lib/onnx/build-model";
import { ask, spawnTs, startServer, stopChildren } from "./children";
import { INPUTS, inputRows } from "./request-rows";
import { profileSummary } from "./profile-summary";
import { judgeRounds, medianCells, medianInProcess, renderMarkdown, SCENARIOS, type BenchReport, type InProcessResult, type LoadResult, type RunCell, type Scenario, type TargetId } from "./report";

const BENCH_DIR = path.dirname(new URL(import.meta.url).pathname);
const RESULTS_DIR = path.join(BENCH_DIR, "results");

interface Options {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  profile: boolean;
  targets: TargetId[];
  scenarios: Scenario[];
  /** A Postgres server for Ferry's database (a database is created on it for the run); undefined = embedded PGlite. */
  postgres?: string;
}

function parseArgs(argv: string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes("--quick");
  const seconds = value("--seconds") !== undefined ? Number(value("--seconds")) : quick ? 2 : 5;
  if (!(seconds > 0)) throw new Error("--seconds needs a positive number");
  const targets = (value("--targets") ?? "bare,http1,naive,ferry").split(",") as TargetId[];
  const ids = (value("--scenarios") ?? SCENARIOS.map((s) => s.id).join(",")).split(",");
  const scenarios = SCENARIOS.filter((s) => ids.includes(s.id));
  if (targets.some((t) => !["bare", "http1", "naive", "ferry"].includes(t))) throw new Error("--targets: a comma-separated subset of bare,http1,naive,ferry");
  if (scenarios.length !== ids.length) throw new Error(`--scenarios: a comma-separated subset of ${SCENARIOS.map((s) => s.id).join(",")}`);
  const rounds = value("--rounds") !== undefined ? Number(value("--rounds")) : quick ? 1 : 3;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds needs a whole number ≥ 1");
  // Ferry's database: embedded PGlite (as `ferry start` runs it) unless --postgres names a server, whose default is the
  // local one; a database is created for the run and dropped after it.
  const postgresAt = argv.indexOf("--postgres");
  const next = postgresAt >= 0 ? argv[postgresAt + 1] : undefined;
  const postgres = postgresAt < 0 ? undefined : next && !next.startsWith("--") ? next : "postgresql://postgres@127.0.0.1:5432/postgres";
  return { rounds, seconds, warmupSeconds: quick ? 0.5 : 1, profile: argv.includes("--profile"), targets, scenarios, postgres };
}

// ---- the measured things -----------------------------------------------------------------------------------------

interface Body {
  bytes: Buffer;
  headers: Record<string, string>;
}

function requestBody(s: Scenario): Body {
  const data = inputRows(s.batch);
  if (s.format === "json") {
    const body = { inputs: [{ name: "x", datatype: "FP32", shape: [s.batch, INPUTS], data: Array.from(data) }] };
    return { bytes: Buffer.from(JSON.stringify(body)), headers: { "content-type": "application/json" } };
  }
  // Triton's binary tensor extension, both ways, as tritonclient sends it by default.
  const tail = Buffer.from(data.buffer, data.byteOffset, data.byteLength); // little-endian on every supported host
  const header = Buffer.from(
    JSON.stringify({
      inputs: [{ name: "x", datatype: "FP32", shape: [s.batch, INPUTS], parameters: { binary_data_size: tail.length } }],
      outputs: [{ name: "probs", parameters: { binary_data: true } }],
    }),
  );
  return {
    bytes: Buffer.concat([header, tail]),
    headers: { "content-type": "application/octet-stream", "inference-header-content-length": String(header.length) },
  };
}

async function measureInProcess(bytes: Uint8Array, batch: number, seconds: number): Promise<{ result: InProcessResult; output: Float32Array }> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = { x: new ort.Tensor("float32", inputRows(batch), [batch, INPUTS]) };
    const out = await session.run(feeds);
    for (let i = 0; i < 200; i++) await session.run(feeds);
    const lat: number[] = [];
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
      const t0 = performance.now();
      await session.run(feeds);
      lat.push(performance.now() - t0);
    }
    const elapsed = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    lat.sort((a, b) => a - b);
    const callsPerSec = lat.length / elapsed;
    const cpuCores = (cpu.user + cpu.system) / 1e6 / elapsed;
    return {
      result: { batch, callsPerSec, rowsPerSec: callsPerSec * batch, p50Ms: lat[Math.floor(lat.length / 2)], cpuCores },
      output: out.probs.data as Float32Array,
    };
  } finally {
    await session.release();
  }
}

/** Sends one request and checks the answer is 200 with the right outputs, so no load run measures error answers. */
async function verify(name: string, url: string, body: Body, headers: Record<string, string>, expected: Float32Array | undefined): Promise<void> {
  let res: Response | undefined;
  for (let attempt = 1; !res; attempt++) {
    try {
      res = await fetch(url, { method: "POST", headers: { ...body.headers, ...headers }, body: new Uint8Array(body.bytes) });
    } catch (e) {
      // A connection error right after a server starts is retried; a second and third one is an answer.
      const err = e as Error;
      const why = `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ""}`;
      if (attempt >= 3) throw new Error(`${name}: request to ${url} failed: ${why}`);
      console.error(`[bench] ${name}: ${why}; retrying`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`${name}: answered ${res.status} to a well-formed request: ${bytes.toString("utf8").slice(0, 300)}`);
  if (!expected) return;
  const headerLength = res.headers.get("inference-header-content-length");
  const json = JSON.parse(bytes.toString("utf8", 0, headerLength ? Number(headerLength) : bytes.length));
  const out = json.outputs?.find((o: { name: string }) => o.name === "probs");
  let got: ArrayLike<number> | undefined = out?.data;
  if (headerLength && out?.parameters?.binary_data_size !== undefined) {
    const tail = bytes.subarray(Number(headerLength));
    got = new Float32Array(tail.buffer.slice(tail.byteOffset, tail.byteOffset + tail.byteLength));
  }
  const bad = !got || got.length !== expected.length || Array.from(expected).some((v, i) => Math.abs(v - Number(got![i])) > 1e-5);
  if (bad) throw new Error(`${name}: outputs differ from onnxruntime in-process: ${bytes.toString("utf8", 0, 300)}`);
}

/** CPU time (user + system) in seconds from a /proc `stat` file: a process's (all threads) or one thread's. */
function statCpuSeconds(file: string): number {
  const stat = fs.readFileSync(file, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
}

/** Total CPU time (user + system, all threads) of a process in seconds, from /proc; undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    return statCpuSeconds(`/proc/${pid}/stat`);
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) of each thread of a process in seconds, by thread id, from /proc; undefined elsewhere. */
function threadCpuSeconds(pid: number | undefined): Map<string, number> | undefined {
  try {
    const out = new Map<string, number>();
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        out.set(tid, statCpuSeconds(`/proc/${pid}/task/${tid}/stat`));
      } catch {
        // the thread ended between the listing and the read
      }
    }
    return out;
  } catch {
    return undefined;
  }
}

/** The largest CPU time any one thread spent between two readings (the bottleneck thread: Ferry's HTTP thread). */
function busiestThreadSeconds(before: Map<string, number> | undefined, after: Map<string, number> | undefined): number | undefined {
  if (!before || !after) return undefined;
  let most = 0;
  for (const [tid, t] of after) most = Math.max(most, t - (before.get(tid) ?? 0));
  return most;
}

/** Where Ferry's gRPC server is, for bench/grpc-load.ts. */
interface GrpcTarget {
  address: string;
  endpoint: string;
  token: string;
}

/** One load run: `generator` (load.ts, or grpc-load.ts for gRPC) with its arguments, and the server's CPU meanwhile. */
async function runLoad(generator: "load.ts" | "grpc-load.ts", args: object, serverPid?: number): Promise<LoadResult> {
  const child = spawnTs(generator, [JSON.stringify(args)]);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.pipe(process.stderr);
  // The server's CPU over the whole load run (warm-up included) approximates its use during the measured window.
  const cpu0 = cpuSeconds(serverPid);
  const threads0 = threadCpuSeconds(serverPid);
  const t0 = performance.now();
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const cpu1 = cpuSeconds(serverPid);
  const threads1 = threadCpuSeconds(serverPid);
  const wall = (performance.now() - t0) / 1000;
  const line = out.trim().split("\n").at(-1);
  if (code !== 0 || !line) throw new Error(`the load generator failed (exit ${code}): ${out.slice(0, 500)}`);
  const result = JSON.parse(line) as LoadResult;
  if (cpu0 !== undefined && cpu1 !== undefined) result.serverCpuPct = ((cpu1 - cpu0) / wall) * 100;
  // Per request answered over the same window (warm-up included): the figure that moves when the request path gets
  // cheaper, steadier than req/s on a shared VM (USER_HZ ticks: ±10 ms over a run of tens of thousands of requests).
  const busiest = busiestThreadSeconds(threads0, threads1);
  const answered = answeredIn(result);
  if (busiest !== undefined && answered > 0) result.busiestThreadUsPerRequest = (busiest / answered) * 1e6;
  return result;
}

/** Requests answered over a whole load run, warm-up included (what the per-request figures divide by). */
function answeredIn(result: LoadResult): number {
  return Object.values(result.statusCounts).reduce((a, b) => a + b, 0);
}

/** How many onnxruntime runs Ferry's data plane has made (its `ferry_batch_size` histogram's count, all versions). */
async function onnxRuns(inferUrl: string): Promise<number> {
  const text = await (await fetch(new URL("/metrics", inferUrl))).text();
  let runs = 0;
  for (const m of text.matchAll(/^ferry_batch_size_count\{[^}]*\} (\d+)$/gm)) runs += Number(m[1]);
  return runs;
}

// ---- the run -----------------------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-bench-model-"));
  process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));
  const modelPath = path.join(tmp, "mlp-32-64-4.onnx");
  const model = buildMlp({ inputs: INPUTS, hidden: 64, outputs: 4 });
  fs.writeFileSync(modelPath, model);
  const log = (m: string) => console.error(`[bench] ${m}`);
  const loadAvgBefore = os.loadavg()[0];
  if (loadAvgBefore > os.availableParallelism() / 2) log(`warning: load average ${loadAvgBefore.toFixed(1)} before the start — other processes will skew the figures`);

  try {
    // In-process first, while nothing else runs: it is the ceiling the others are compared against.
    log("onnxruntime in-process…");
    const inProcSeconds = Math.min(opts.seconds, 3);
    const ip1 = await measureInProcess(model, 1, inProcSeconds);
    const ip64 = await measureInProcess(model, 64, inProcSeconds);
    const expected: Record<number, Float32Array> = { 1: ip1.output, 64: ip64.output };
    // The compute limit is measured again at the start of every later round (the servers idle meanwhile), so each
    // round's checks divide by a figure of the same minutes: onnxruntime's speed swings on these VMs as HTTP's does.
    const inProcessRounds: InProcessResult[][] = [[ip1.result, ip64.result]];

    log("starting the bare servers, the naive server and Ferry's data plane…");
    const want = (t: TargetId) => opts.targets.includes(t);
    const [bare, http1, naive, ferry] = await Promise.all([
      want("bare") ? startServer<{ port: number }>("the bare HTTP server", "baselines/bare-http-server.ts", []) : undefined,
      want("http1") ? startServer<{ port: number }>("Ferry's HTTP/1 server answering a constant", "baselines/http1-constant-server.ts", []) : undefined,
      want("naive") ? startServer<{ port: number }>("the naive server", "baselines/naive-ort-server.ts", [modelPath]) : undefined,
      want("ferry") ? startServer<{ port: number; grpcPort: number; token: string; endpoint: string; workers: number }>("Ferry's data plane", "ferry-plane.ts", [modelPath, ...(opts.postgres ? [opts.postgres] : [])]) : undefined,
    ]);
    type Target = { url: string; headers: Record<string, string>; child: ChildProcess; binary: boolean; checkOutputs: boolean; grpc?: GrpcTarget };
    const targets: Partial<Record<TargetId, Target>> = {
      ...(bare && { bare: { url: `http://127.0.0.1:${bare.msg.port}/v2/models/mlp/infer`, headers: {}, child: bare.child, binary: true, checkOutputs: false } }),
      ...(http1 && { http1: { url: `http://127.0.0.1:${http1.msg.port}/v2/models/mlp/infer`, headers: {}, child: http1.child, binary: true, checkOutputs: false } }),
      ...(naive && { naive: { url: `http://127.0.0.1:${naive.msg.port}/v2/models/mlp/infer`, headers: {}, child: naive.child, binary: false, checkOutputs: true } }),
      ...(ferry && {
        ferry: {
          url: `http://127.0.0.1:${ferry.msg.port}/v2/models/${ferry.msg.endpoint}/infer`,
          headers: { authorization: `Bearer ${ferry.msg.token}` },
          child: ferry.child,
          binary: true,
          checkOutputs: true,
          grpc: { address: `127.0.0.1:${ferry.msg.grpcPort}`, endpoint: ferry.msg.endpoint, token: ferry.msg.token },
        },
      }),
    };

    // Rounds: every target once per scenario per round, so a change in the machine's speed (these VMs share their
    // host) hits all targets of a round alike instead of one target's whole series.
    const rounds: RunCell[][] = [];
    const profiles: string[] = [];
    for (let round = 0; round < opts.rounds; round++) {
      if (round > 0) {
        log(`round ${round + 1}/${opts.rounds} · onnxruntime in-process…`);
        inProcessRounds.push([(await measureInProcess(model, 1, inProcSeconds)).result, (await measureInProcess(model, 64, inProcSeconds)).result]);
      }
      const cells: RunCell[] = [];
      rounds.push(cells);
      for (const s of opts.scenarios) {
        const body = requestBody(s);
        for (const t of opts.targets) {
          const target = targets[t]!;
          if ((s.format === "binary" && !target.binary) || (s.format.startsWith("grpc") && !target.grpc)) {
            cells.push({ target: t, scenario: s.id });
            continue;
          }
          if (round === 0 && !s.format.startsWith("grpc")) await verify(`${t} (${s.label})`, target.url, body, target.headers, target.checkOutputs ? expected[s.batch] : undefined);
          log(`${opts.rounds > 1 ? `round ${round + 1}/${opts.rounds} · ` : ""}${t}: ${s.label}…`);
          const profiling = opts.profile && t === "ferry" && round === 0;
          if (profiling) await ask(target.child, { profile: "start" }, "profiling");
          if (t === "ferry") await ask(target.child, { loopDelay: "start" }, "loopDelayStarted");
          const runs0 = t === "ferry" ? await onnxRuns(target.url) : undefined;
          const result =
            s.format.startsWith("grpc")
              ? await runLoad("grpc-load.ts", { ...target.grpc!, batch: s.batch, inputs: INPUTS, connections: s.connections, seconds: opts.seconds, warmupSeconds: opts.warmupSeconds, stream: s.format === "grpc-stream" }, target.child.pid)
              : await runLoad("load.ts", { url: target.url, body: body.bytes.toString("base64"), headers: { ...body.headers, ...target.headers }, connections: s.connections, seconds: opts.seconds, warmupSeconds: opts.warmupSeconds }, target.child.pid);
          if (t === "ferry") {
            result.serverLoopDelayMaxMs = Number((await ask(target.child, { loopDelay: "stop" }, "loopDelayMaxMs")).loopDelayMaxMs);
            const runs = (await onnxRuns(target.url)) - runs0!;
            if (runs > 0) result.requestsPerRun = answeredIn(result) / runs;
          }
          if (profiling) {
            const file = path.join(RESULTS_DIR, "profiles", `ferry-${s.id}.cpuprofile`);
            await ask(target.child, { profile: "stop", file }, "profiled");
            profiles.push(file);
          }
          if (result.warmupErrors > 0 || result.requests === 0) {
            throw new Error(`${t} (${s.label}): ${result.warmupErrors} of ${result.warmupRequests} warm-up answers were not 200 (${result.sampleError ?? "no answers"})`);
          }
          cells.push({ target: t, scenario: s.id, result });
        }
      }
    }

    const inProcess = medianInProcess(inProcessRounds);
    const { checks, info } = judgeRounds(rounds, inProcessRounds, os.availableParallelism());
    const cells = medianCells(rounds);
    const cpus = os.cpus();
    const report: BenchReport = {
      date: new Date().toISOString(),
      machine: { nproc: os.availableParallelism(), cpu: cpus[0]?.model ?? "unknown", node: process.version, onnxruntime: ort.env.versions.node ?? "?", loadAvgBefore, loadAvgAfter: os.loadavg()[0] },
      rounds: opts.rounds,
      secondsPerRun: opts.seconds,
      ferryWorkers: ferry?.msg.workers ?? 0,
      ferryDatabase: opts.postgres ? "Postgres" : "embedded PGlite",
      inProcess,
      cells,
      checks,
      info,
    };
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
    await stopChildren();
    console.log(renderMarkdown(report));
    log(`results written to ${path.relative(process.cwd(), path.join(RESULTS_DIR, "latest.json"))}`);
    for (const file of profiles) {
      console.error(`\n[bench] ${path.relative(process.cwd(), file)} (Ferry's HTTP thread during the run):`);
      console.error(profileSummary(JSON.parse(fs.readFileSync(file, "utf8")), 15));
    }
  } finally {
    await stopChildren();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`[bench] FAILED: ${e instanceof Error ? e.message : String(e)}`);
    stopChildren().finally(() => process.exit(1));
  },
);
