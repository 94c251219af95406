import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMlp } from "@/lib/onnx/build-model";
import { getDb } from "@/lib/db/client";
import { evaluateEndpointDrift } from "@/lib/drift/evaluate-endpoint-drift";
import { deserializeSketch } from "@/lib/drift/sketch";
import { summarizeReference } from "@/lib/drift/summarize-reference";
import type { Prisma } from "@/lib/generated/prisma/client";
import { startDataPlane, type DataPlane } from "./start-data-plane";
import { addVersion, inferBody, makeInferToken, mlpInput, planeFetch, putEndpointRow, quietLogger, sendAtOnce, unique } from "./data-plane-test-kit";

// The session workers sketch the runs they serve, each worker its own sketches under an instance id of its own.
// However the requests were batched and whichever worker ran them, every answered row must land in each feature's
// sketch exactly once, and nothing else — or, past the drift budget, be counted as skipped.

/** An endpoint serving the MLP with a 32-feature reference, and a data plane with `workers` workers. */
function servedEndpoint(name: string, workers: number, driftValuesPerSecond?: number) {
  const model = unique(`sketched-${name}`);
  const ctx = { ep: unique(`sketched-ep-${name}`), token: "", plane: undefined as unknown as DataPlane };

  beforeAll(async () => {
    const db = await getDb();
    const version = await addVersion(model, buildMlp({ seed: 3 }));
    const reference = summarizeReference(
      Array.from({ length: 200 }, (_, r) => mlpInput(1, r)),
      Array.from({ length: 32 }, (_, i) => `f${i}`),
    );
    const m = await db.model.findUniqueOrThrow({ where: { name: model } });
    await db.modelVersion.update({
      where: { modelId_version: { modelId: m.id, version } },
      data: { referenceSummary: JSON.parse(JSON.stringify({ ...reference, features: reference.features.map((f, i) => ({ ...f, input: "x", index: i })) })) as Prisma.InputJsonValue },
    });
    await putEndpointRow(ctx.ep, { model, variants: [{ name: "main", version, weight: 1 }], batching: { maxBatchSize: 64, maxQueueDelayMs: 5 } });
    ctx.token = (await makeInferToken()).secret;
    ctx.plane = await startDataPlane({ logger: quietLogger, host: "127.0.0.1", port: 0, workers, resyncMs: 300, flushMs: 60_000, databaseUrl: undefined, logSampleRate: 0, driftValuesPerSecond });
    await ctx.plane.refresh();
  }, 120_000);

  afterAll(async () => {
    await ctx.plane?.close();
  });
  return ctx;
}

/** 30 requests of 1-4 rows sent at once, then a lone one: every answer 200. Returns what was sent. */
async function sendTraffic(ctx: ReturnType<typeof servedEndpoint>): Promise<number[][]> {
  const sizes = Array.from({ length: 30 }, (_, i) => 1 + (i % 4));
  const requests = sizes.map((n, i) => ({ n, data: mlpInput(n, 100 + i) }));
  const answers = await sendAtOnce(
    ctx.plane.port,
    requests.map((r) => ({ path: `/v2/models/${ctx.ep}/infer`, token: ctx.token, body: inferBody([{ name: "x", datatype: "FP32", shape: [r.n, 32], data: r.data }]) })),
  );
  expect(answers.map((a) => a.status)).toEqual(sizes.map(() => 200));
  // One lone request more, answered in a turn of its own.
  const lone = mlpInput(2, 7);
  const [last] = await sendAtOnce(ctx.plane.port, [{ path: `/v2/models/${ctx.ep}/infer`, token: ctx.token, body: inferBody([{ name: "x", datatype: "FP32", shape: [2, 32], data: lone }]) }]);
  expect(last.status).toBe(200);
  return [...requests.map((r) => r.data), lone];
}

/** Each feature's count and sum over every flushed sketch row of the endpoint (all workers, all minutes). */
async function flushedSketches(ctx: ReturnType<typeof servedEndpoint>): Promise<Map<string, { count: number; sum: number; skipped: number }>> {
  await ctx.plane.internals.recorder.flush();
  const db = await getDb();
  const endpoint = await db.endpoint.findUniqueOrThrow({ where: { name: ctx.ep } });
  const rows = await db.driftSketch.findMany({ where: { endpointId: endpoint.id } });
  const byFeature = new Map<string, { count: number; sum: number; skipped: number }>();
  for (const row of rows) {
    const s = deserializeSketch(row.sketch as object);
    const seen = byFeature.get(row.feature) ?? { count: 0, sum: 0, skipped: 0 };
    seen.count += s.count;
    seen.skipped += s.skipped ?? 0;
    if (s.kind === "numeric") seen.sum += s.sum;
    byFeature.set(row.feature, seen);
  }
  return byFeature;
}

const rowsOf = (sent: number[][]) => sent.reduce((n, data) => n + data.length / 32, 0);

describe.each([1, 2])("drift sketches of served traffic (%i session workers)", (workers) => {
  const ctx = servedEndpoint(`all-${workers}`, workers);

  it("count every answered row once per feature, however the requests were batched, with the values that were sent", async () => {
    const sent = await sendTraffic(ctx);
    // How many shared a run, and which worker ran it, depends on timing (on PGlite, a first token lookup runs
    // synchronously and the requests then trickle in); the ranges are unit-tested (batcher). Counts must be exact.
    const byFeature = await flushedSketches(ctx);
    for (let f = 0; f < 32; f++) {
      const got = byFeature.get(`input:f${f}`);
      let sum = 0;
      for (const data of sent) for (let i = f; i < data.length; i += 32) sum += Math.fround(data[i]);
      expect(got?.count, `feature f${f}`).toBe(rowsOf(sent));
      expect(got!.sum).toBeCloseTo(sum, 3);
      expect(got!.skipped).toBe(0);
    }
  });
});

describe("drift sketches past their budget", () => {
  // 320 values a second per worker and version: 10 rows of 32 inputs, with a burst of one second's worth.
  const ctx = servedEndpoint("budget", 2, 320);

  it("sketch a sample of the rows and count the rest as skipped: together, every answered row once", async () => {
    const sent = await sendTraffic(ctx);
    const byFeature = await flushedSketches(ctx);
    const skipped = Number(/^ferry_drift_rows_skipped (\d+)$/m.exec((await planeFetch(ctx.plane.port, "/metrics")).bytes.toString())?.[1]);
    const sketched = byFeature.get("input:f0")!.count;
    for (let f = 0; f < 32; f++) expect(byFeature.get(`input:f${f}`)?.count, `feature f${f}`).toBe(sketched);
    const outputs = [...byFeature].filter(([feature]) => feature.startsWith("output:"));
    expect(outputs.length).toBeGreaterThan(0);
    for (const [feature, { count }] of outputs) expect(count, feature).toBe(sketched);
    expect(sketched).toBeGreaterThan(0);
    expect(skipped).toBeGreaterThan(0);
    expect(sketched + skipped).toBe(rowsOf(sent));
    // The sketches say how many rows they left out: every input feature's, none of the outputs'.
    for (let f = 0; f < 32; f++) expect(byFeature.get(`input:f${f}`)?.skipped, `feature f${f}`).toBe(skipped);
    for (const [feature, s] of outputs) expect(s.skipped, feature).toBe(0);
    // And the drift report: its sample, the rows left out, and the rows the version served.
    const report = await evaluateEndpointDrift({ db: await getDb(), endpointName: ctx.ep, from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) });
    expect({ rows: report.rows, rowsSkipped: report.rowsSkipped, served: report.versions[0]?.rows }).toEqual({ rows: sketched, rowsSkipped: skipped, served: rowsOf(sent) });
  });
});
