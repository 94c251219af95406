/**
 * The benchmark's results, the ratios issue 4 sets as targets, and their markdown rendering. Pure: `run.ts`
 * measures, this file judges and formats.
 */

export type TargetId = "bare" | "http1" | "naive" | "ferry";
export type ScenarioId = "b1-c1" | "b1-c64" | "b64-c8-json" | "b64-c8-binary" | "b64-c8-grpc" | "b64-c8-grpc-stream";

export interface Scenario {
  id: ScenarioId;
  batch: number;
  connections: number;
  /** grpc: the protocol's ModelInfer over gRPC with raw_input_contents (Ferry only; bench/grpc-load.ts). */
  format: "json" | "binary" | "grpc" | "grpc-stream";
  label: string;
}

export const SCENARIOS: Scenario[] = [
  { id: "b1-c1", batch: 1, connections: 1, format: "json", label: "batch 1 · 1 conn · JSON" },
  { id: "b1-c64", batch: 1, connections: 64, format: "json", label: "batch 1 · 64 conn · JSON" },
  { id: "b64-c8-json", batch: 64, connections: 8, format: "json", label: "batch 64 · 8 conn · JSON" },
  { id: "b64-c8-binary", batch: 64, connections: 8, format: "binary", label: "batch 64 · 8 conn · binary" },
  { id: "b64-c8-grpc", batch: 64, connections: 8, format: "grpc", label: "batch 64 · 8 conn · gRPC" },
  { id: "b64-c8-grpc-stream", batch: 64, connections: 8, format: "grpc-stream", label: "batch 64 · 8 streams · gRPC" },
];

export const TARGET_LABELS: Record<TargetId, string> = {
  bare: "HTTP limit (bare node:http)",
  http1: "Ferry's HTTP/1 server, constant answer",
  naive: "naive node:http + onnxruntime",
  ferry: "Ferry data plane",
};

/** One load run as bench/load.ts reports it, plus the server process's CPU use during the run. */
export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  warmupRequests: number;
  warmupErrors: number;
  cpuPct: number;
  statusCounts: Record<string, number>;
  sampleError?: string;
  serverCpuPct?: number;
  /** CPU time of the server's busiest thread (its HTTP thread) per request answered, in µs. */
  busiestThreadUsPerRequest?: number;
  /** Ferry only: the longest its HTTP thread was held during the run (warm-up included), in ms. */
  serverLoopDelayMaxMs?: number;
  /** Ferry only: requests answered per onnxruntime run (dynamic batching) over the run, warm-up included. */
  requestsPerRun?: number;
}

export interface RunCell {
  target: TargetId;
  scenario: ScenarioId;
  /** Absent = not applicable (the baselines speak JSON only). With several rounds: the round with the median req/s. */
  result?: LoadResult;
  /** req/s of every round, in the order measured. */
  rounds?: number[];
}

export interface InProcessResult {
  batch: number;
  callsPerSec: number;
  rowsPerSec: number;
  p50Ms: number;
  /** CPU the loop used (all of onnxruntime's threads), in cores: what computing these rows/s costs. */
  cpuCores?: number;
  /** calls/s of every round, in the order measured (the report's in-process rows: the median round's, with these). */
  rounds?: number[];
}

export interface Check {
  name: string;
  measured: number;
  display: string;
  target: string;
  pass: boolean;
}

export interface BenchReport {
  date: string;
  rounds: number;
  machine: { nproc: number; cpu: string; node: string; onnxruntime: string; loadAvgBefore: number; loadAvgAfter: number };
  secondsPerRun: number;
  ferryWorkers: number;
  /** Where Ferry's data plane kept its database during the run. */
  ferryDatabase: "embedded PGlite" | "Postgres";
  inProcess: InProcessResult[];
  cells: RunCell[];
  checks: Check[];
  info: { name: string; display: string }[];
}

function cell(cells: RunCell[], target: TargetId, scenario: ScenarioId): LoadResult | undefined {
  return cells.find((c) => c.target === target && c.scenario === scenario)?.result;
}

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
/** For a checked ratio: 74.5 % must not read "75 %" beside a FAIL of "≥ 75 %". */
const checkPct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The five targets of issue 4's "Benchmark" section (a missing measurement fails its check). */
export function judge(cells: RunCell[], inProcess: InProcessResult[], cores = NaN): { checks: Check[]; info: { name: string; display: string }[] } {
  const ferry64 = cell(cells, "ferry", "b1-c64")?.rps ?? NaN;
  const naive64 = cell(cells, "naive", "b1-c64")?.rps ?? NaN;
  const bare64 = cell(cells, "bare", "b1-c64")?.rps ?? NaN;
  const inProc64 = inProcess.find((r) => r.batch === 64)?.rowsPerSec ?? NaN;
  const rows = (s: ScenarioId) => (cell(cells, "ferry", s)?.rps ?? NaN) * 64;
  const p50Gap = (cell(cells, "ferry", "b1-c1")?.p50Ms ?? NaN) - (cell(cells, "naive", "b1-c1")?.p50Ms ?? NaN);

  const ratio = (name: string, measured: number, min: number, display: string, target: string): Check => ({
    name, measured, display, target, pass: Number.isFinite(measured) && measured >= min,
  });
  const checks: Check[] = [
    ratio("Ferry req/s ÷ naive req/s (batch 1, 64 conn)", ferry64 / naive64, 2, `${(ferry64 / naive64).toFixed(2)}×`, "≥ 2×"),
    ratio("Ferry req/s ÷ HTTP limit req/s (batch 1, 64 conn)", ferry64 / bare64, 0.75, checkPct(ferry64 / bare64), "≥ 75 %"),
    ratio("Ferry rows/s ÷ in-process rows/s (batch 64, JSON)", rows("b64-c8-json") / inProc64, 0.5, checkPct(rows("b64-c8-json") / inProc64), "≥ 50 %"),
    ratio("Ferry rows/s ÷ in-process rows/s (batch 64, binary)", rows("b64-c8-binary") / inProc64, 0.5, checkPct(rows("b64-c8-binary") / inProc64), "≥ 50 %"),
    {
      name: "Ferry p50 − naive p50 (batch 1, 1 conn)",
      measured: p50Gap,
      display: `${p50Gap >= 0 ? "+" : ""}${p50Gap.toFixed(3)} ms`,
      target: "≤ +0.3 ms",
      pass: Number.isFinite(p50Gap) && p50Gap <= 0.3,
    },
  ];
  const bareRows = (s: ScenarioId) => (cell(cells, "bare", s)?.rps ?? NaN) * 64;
  const http1 = (s: ScenarioId) => cell(cells, "http1", s)?.rps ?? NaN;
  const busiestUs = (t: "bare" | "ferry") => cell(cells, t, "b1-c64")?.busiestThreadUsPerRequest ?? NaN;
  const busy = (t: "bare" | "ferry") => (busiestUs(t) * (cell(cells, t, "b1-c64")?.rps ?? NaN)) / 1e6;
  const info = [
    { name: "HTTP limit ÷ naive req/s (batch 1, 64 conn; issue 4 measured ≈ 2.7×)", display: `${(bare64 / naive64).toFixed(2)}×` },
    // Ferry's own HTTP layer with nothing of Ferry's to do: how far above the naive server any work could start.
    { name: "Ferry's HTTP/1 server, constant answer ÷ naive req/s (batch 1, 64 conn)", display: `${(http1("b1-c64") / naive64).toFixed(2)}×` },
    { name: "Ferry ÷ its HTTP/1 server's constant answer, req/s (batch 1 · 64 conn; batch 64 binary)", display: `batch 1 ${pct(ferry64 / http1("b1-c64"))}, binary ${pct(rows("b64-c8-binary") / 64 / http1("b64-c8-binary"))}` },
    // What HTTP alone allows for batch 64: the ceiling the rows/s targets above run into before any inference.
    { name: "HTTP limit rows/s ÷ in-process rows/s (batch 64, JSON)", display: pct(bareRows("b64-c8-json") / inProc64) },
    { name: "HTTP limit rows/s ÷ in-process rows/s (batch 64, binary)", display: pct(bareRows("b64-c8-binary") / inProc64) },
    { name: "Ferry rows/s ÷ HTTP limit rows/s (batch 64, JSON)", display: pct(rows("b64-c8-json") / bareRows("b64-c8-json")) },
    { name: "Ferry rows/s ÷ HTTP limit rows/s (batch 64, binary)", display: pct(rows("b64-c8-binary") / bareRows("b64-c8-binary")) },
    // Not a target of issue 4: what the same requests cost over gRPC (grpc-js on both sides) against REST binary.
    { name: "Ferry over gRPC: rows/s ÷ in-process, and ÷ its REST binary rows/s (batch 64, 8 conn)", display: `${pct(rows("b64-c8-grpc") / inProc64)}, ${pct(rows("b64-c8-grpc") / rows("b64-c8-binary"))}` },
    { name: "Ferry over gRPC streams: rows/s ÷ in-process, and ÷ its REST binary rows/s (batch 64, 8 streams)", display: `${pct(rows("b64-c8-grpc-stream") / inProc64)}, ${pct(rows("b64-c8-grpc-stream") / rows("b64-c8-binary"))}` },
    // The 75 % check in two factors: CPU per request on the busiest thread (what Ferry's code decides) and how much of
    // the run that thread was busy (what sharing the cores with the session worker and the load generator leaves it).
    { name: "HTTP limit ÷ Ferry, busiest thread's CPU per request (batch 1, 64 conn)", display: pct(busiestUs("bare") / busiestUs("ferry")) },
    { name: "busiest thread busy (batch 1, 64 conn)", display: `Ferry ${pct(busy("ferry"))}, bare ${pct(busy("bare"))}` },
    // Whether a target fits this machine at all: the CPU it takes to serve the target's req/s at the cost per request
    // of a server answering a constant, plus the load generator's own cost (it shares the cores) and onnxruntime's.
    { name: "CPU the 2× naive target needs at a constant answer's cost (batch 1, 64 conn)", display: budget(cells, "b1-c64", 2 * naive64, inProcess, cores) },
    { name: "CPU the 50 % rows/s target needs at a constant answer's cost (batch 64, JSON)", display: budget(cells, "b64-c8-json", (0.5 * inProc64) / 64, inProcess, cores) },
    { name: "CPU the 50 % rows/s target needs at a constant answer's cost (batch 64, binary)", display: budget(cells, "b64-c8-binary", (0.5 * inProc64) / 64, inProcess, cores) },
  ];
  for (const c of checks) if (!Number.isFinite(c.measured)) c.display = "not measured";
  for (const i of info) if (i.display.includes("NaN")) i.display = "not measured";
  return { checks, info };
}

/**
 * A lower bound on the cores serving `rps` requests of scenario `s` takes on this machine, with the load generator on
 * it: the CPU per request of the cheaper server that answers a constant (node:http's or Ferry's own HTTP/1 server:
 * each reads the request, parses its JSON and answers a constant, the least any server does), the load generator's
 * CPU per request in that same run, and onnxruntime's CPU per row at batch 64 (its cheapest), counted as one core at
 * most: its default thread pool keeps a second core spinning, and one intra-op thread (Ferry's setting) computes the MLP
 * as fast. The server's part is one event loop's, so above 1 it cannot fit.
 */
function budget(cells: RunCell[], s: ScenarioId, rps: number, inProcess: InProcessResult[], cores: number): string {
  const perRequest = (r: LoadResult) => (r.serverCpuPct ?? NaN) / 100 / r.rps;
  const runs = (["bare", "http1"] as const).map((t) => cell(cells, t, s)).filter((r): r is LoadResult => r !== undefined && Number.isFinite(perRequest(r)));
  const cheapest = runs.length ? runs.reduce((a, b) => (perRequest(b) < perRequest(a) ? b : a)) : undefined;
  const batch = SCENARIOS.find((x) => x.id === s)!.batch;
  const ip64 = inProcess.find((r) => r.batch === 64);
  if (!cheapest || !ip64?.cpuCores || !Number.isFinite(rps)) return "not measured";
  const http = rps * perRequest(cheapest);
  const client = (rps * cheapest.cpuPct) / 100 / cheapest.rps;
  const onnx = (rps * batch * Math.min(ip64.cpuCores, 1)) / ip64.rowsPerSec;
  const total = http + client + onnx;
  const of = Number.isFinite(cores) ? ` of ${cores}` : "";
  return `${total.toFixed(2)}${of} cores (server ${http.toFixed(2)}, load generator ${client.toFixed(2)}, onnxruntime ${onnx.toFixed(2)}) for ${num(rps)} req/s`;
}

const spread = (rounds: number[] | undefined) =>
  rounds && rounds.length > 1 ? ` (${num(Math.min(...rounds))}–${num(Math.max(...rounds))})` : "";

const num = (x: number | undefined, digits = 0) =>
  x === undefined || !Number.isFinite(x) ? "–" : x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/**
 * Checks over several rounds: each check is judged within each round (its targets ran minutes apart at most, so
 * drift in the machine's speed cancels), and the round with the median measurement is reported, with the range.
 */
/** The item at quantile `q` of `key` (0.5: the median; the lower middle one for an even count). */
function medianBy<T>(items: T[], key: (item: T) => number, q = 0.5): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) * q)];
}

/** Per batch size, the round with the median calls/s, with every round's. */
export function medianInProcess(rounds: InProcessResult[][]): InProcessResult[] {
  return rounds[0].map((first, i) => {
    const all = rounds.map((r) => r[i]);
    return { ...medianBy(all, (r) => r.callsPerSec), rounds: all.map((r) => r.callsPerSec) };
  });
}

/** Per target and scenario, the round with the median req/s (its p50, p99 and CPU belong to that same run). */
export function medianCells(rounds: RunCell[][]): RunCell[] {
  return rounds[0].map((first, i) => {
    const runs = rounds.map((cells) => cells[i].result).filter((r): r is LoadResult => r !== undefined);
    if (runs.length === 0) return first;
    return { ...first, result: medianBy(runs, (r) => r.rps), rounds: runs.map((r) => r.rps) };
  });
}

/** Checks judged within each round, against that round's in-process measurement (`inProcess[round]`). */
export function judgeRounds(rounds: RunCell[][], inProcess: InProcessResult[][], cores = NaN): { checks: Check[]; info: { name: string; display: string }[] } {
  const judged = rounds.map((cells, i) => judge(cells, inProcess[i], cores));
  if (judged.length === 1) return judged[0];
  const checks = judged[0].checks.map((first, i) => {
    const all = judged.map((j) => j.checks[i]).filter((c) => Number.isFinite(c.measured));
    if (all.length === 0) return first;
    const median = medianBy(all, (c) => c.measured);
    const low = medianBy(all, (c) => c.measured, 0);
    const high = medianBy(all, (c) => c.measured, 1);
    const range = all.length > 1 ? ` (${low.display} … ${high.display})` : "";
    return { ...median, display: `${median.display}${range}` };
  });
  const info = judged[0].info.map((first, i) => {
    const all = judged.map((j) => j.info[i].display);
    return { ...first, display: all.join(" / ") };
  });
  return { checks, info };
}

export function renderMarkdown(r: BenchReport): string {
  const out: string[] = [];
  out.push(`### Ferry data-plane benchmark — ${r.date}`);
  out.push("");
  out.push(
    `Machine: nproc ${r.machine.nproc}, ${r.machine.cpu}; Node ${r.machine.node}, onnxruntime-node ${r.machine.onnxruntime}. ` +
      `Model: MLP 32→64→4 (FP32). ${r.secondsPerRun} s measured per run after a warm-up. Ferry session workers: ${r.ferryWorkers}; its database: ${r.ferryDatabase}. ` +
      (r.rounds > 1 ? `${r.rounds} rounds (every target once per round): req/s is the median round's, with the range; checks are judged per round and the median round shown, with the range; info rows list every round.` : "One round."),
  );
  out.push("");
  // Only the load before the run says whether other processes were busy: the one-minute average after it is the
  // bench's own servers and load generator (a run of every target ends near the core count, whatever else ran).
  const busy = r.machine.loadAvgBefore;
  out.push(`Load average (1 min) before / after: ${r.machine.loadAvgBefore.toFixed(2)} / ${r.machine.loadAvgAfter.toFixed(2)} (after: the bench's own load included).`);
  if (busy > r.machine.nproc / 2) {
    out.push("");
    out.push(`**Warning: other processes were using the machine before the run (load average ${busy.toFixed(1)} on ${r.machine.nproc} cores): these figures are unreliable; rerun on an idle machine.**`);
  }
  out.push("");
  out.push("| target | scenario | req/s | rows/s | p50 ms | p99 ms | errors | server CPU | busiest thread µs/req | load-gen CPU | longest hold ms | requests per run |");
  out.push("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const ip of r.inProcess) {
    out.push(`| onnxruntime in-process (compute limit) | batch ${ip.batch} · \`session.run\` loop | ${num(ip.callsPerSec)}${spread(ip.rounds)} | ${num(ip.rowsPerSec)} | ${num(ip.p50Ms, 3)} | | | | | | | |`);
  }
  for (const s of SCENARIOS) {
    for (const t of ["bare", "http1", "naive", "ferry"] as TargetId[]) {
      const c = r.cells.find((x) => x.target === t && x.scenario === s.id);
      if (!c) continue;
      const res = c.result;
      if (!res) {
        out.push(`| ${TARGET_LABELS[t]} | ${s.label} | N/A | N/A | | | | | | | | |`);
        continue;
      }
      out.push(
        `| ${TARGET_LABELS[t]} | ${s.label} | ${num(res.rps)}${spread(c.rounds)} | ${num(res.rps * s.batch)} | ${num(res.p50Ms, 3)} | ${num(res.p99Ms, 3)} | ${res.errors} | ` +
          `${res.serverCpuPct === undefined ? "–" : `${num(res.serverCpuPct)} %`} | ${res.busiestThreadUsPerRequest === undefined ? "–" : num(res.busiestThreadUsPerRequest, 1)} | ${num(res.cpuPct)} % | ${res.serverLoopDelayMaxMs === undefined ? "" : num(res.serverLoopDelayMaxMs, 1)} | ${res.requestsPerRun === undefined ? "" : num(res.requestsPerRun, 1)} |`,
      );
    }
  }
  out.push("");
  out.push("| check | measured | target | result |");
  out.push("| --- | ---: | ---: | --- |");
  for (const c of r.checks) out.push(`| ${c.name} | ${c.display} | ${c.target} | ${c.pass ? "PASS" : "FAIL"} |`);
  for (const i of r.info) out.push(`| ${i.name} | ${i.display} | (info) | |`);
  out.push("");
  out.push("CPU columns are % of one core over the measured window (a process with worker threads can exceed 100 %). Longest hold: the longest Ferry's HTTP thread was busy without a break during the run (warm-up included): what a request arriving at that moment waited.");
  return out.join("\n");
}
