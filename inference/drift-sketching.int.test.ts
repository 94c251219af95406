import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMlp } from "@/lib/onnx/build-model";
import { getDb } from "@/lib/db/client";
import { deserializeSketch } from "@/lib/drift/sketch";
import { summarizeReference } from "@/lib/drift/summarize-reference";
import type { Prisma } from "@/lib/generated/prisma/client";
import { startDataPlane, type DataPlane } from "./start-data-plane";
import { addVersion, inferBody, makeInferToken, mlpInput, putEndpointRow, quietLogger, sendAtOnce, unique } from "./data-plane-test-kit";

// The recorder sketches the requests answered in one turn together (stacked into one record); whatever the grouping,
// every answered row must land in each feature's sketch exactly once, and nothing else.
// The session workers sketch the runs they serve, each worker its own sketches under an instance id of its own.
describe.each([1, 2])("drift sketches of served traffic (%i session workers)", (workers) => {
  const model = unique(`sketched-${workers}`);
  const ep = unique(`sketched-ep-${workers}`);
  let plane: DataPlane;
  let token: string;

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
    await putEndpointRow(ep, { model, variants: [{ name: "main", version, weight: 1 }], batching: { maxBatchSize: 64, maxQueueDelayMs: 5 } });
    token = (await makeInferToken()).secret;
    plane = await startDataPlane({ logger: quietLogger, host: "127.0.0.1", port: 0, workers, resyncMs: 300, flushMs: 60_000, databaseUrl: undefined, logSampleRate: 0 });
    await plane.refresh();
  }, 120_000);

  afterAll(async () => {
    await plane?.close();
  });

  it("count every answered row once per feature, however the requests were batched, with the values that were sent", async () => {
    const sizes = Array.from({ length: 30 }, (_, i) => 1 + (i % 4));
    const requests = sizes.map((n, i) => ({ n, data: mlpInput(n, 100 + i) }));
    const answers = await sendAtOnce(
      plane.port,
      requests.map((r) => ({ path: `/v2/models/${ep}/infer`, token, body: inferBody([{ name: "x", datatype: "FP32", shape: [r.n, 32], data: r.data }]) })),
    );
    expect(answers.map((a) => a.status)).toEqual(sizes.map(() => 200));
    // One lone request more, answered in a turn of its own.
    const lone = mlpInput(2, 7);
    const [last] = await sendAtOnce(plane.port, [{ path: `/v2/models/${ep}/infer`, token, body: inferBody([{ name: "x", datatype: "FP32", shape: [2, 32], data: lone }]) }]);
    expect(last.status).toBe(200);
    // How many shared a run, and which worker ran it, depends on timing (on PGlite, a first token lookup runs
    // synchronously and the requests then trickle in); the ranges are unit-tested (batcher). Counts must be exact.
    const totalRows = sizes.reduce((a, b) => a + b, 0) + 2;

    await plane.internals.recorder.flush();
    const db = await getDb();
    const endpoint = await db.endpoint.findUniqueOrThrow({ where: { name: ep } });
    const rows = await db.driftSketch.findMany({ where: { endpointId: endpoint.id } });
    const byFeature = new Map<string, { count: number; sum: number }>();
    for (const row of rows) {
      const s = deserializeSketch(row.sketch as object);
      const seen = byFeature.get(row.feature) ?? { count: 0, sum: 0 };
      seen.count += s.count;
      if (s.kind === "numeric") seen.sum += s.sum;
      byFeature.set(row.feature, seen);
    }
    const sent = [...requests.map((r) => r.data), lone];
    for (let f = 0; f < 32; f++) {
      const got = byFeature.get(`input:f${f}`);
      let sum = 0;
      for (const data of sent) for (let i = f; i < data.length; i += 32) sum += Math.fround(data[i]);
      expect(got?.count, `feature f${f}`).toBe(totalRows);
      expect(got!.sum).toBeCloseTo(sum, 3);
    }
  });
});
