import { beforeAll, describe, expect, it } from "vitest";
import { buildMlp } from "@/lib/onnx/build-model";
import { getDb } from "@/lib/db/client";
import { addVersion, inferBody, mlpInput, planeFetch, putEndpointRow, sendAtOnce, setUpTestPlane, unique } from "./data-plane-test-kit";

// Every request is sampled (rate 1), and at most 3 log rows a second are written: the rest are counted, not logged.
const ctx = setUpTestPlane({ logSampleRate: 1, logMaxPerSecond: 3 });
const model = unique("log-cap");
const ep = unique("log-cap-ep");

beforeAll(async () => {
  const version = await addVersion(model, buildMlp({ seed: 5 }));
  await putEndpointRow(ep, { model, variants: [{ name: "main", version, weight: 1 }] });
  await ctx.plane.refresh();
}, 120_000);

describe("the prediction log's cap", () => {
  it("logs one second's worth of a burst and then the cap's rate, counting every sampled request it does not log", async () => {
    const started = performance.now();
    const answers = await sendAtOnce(
      ctx.plane.port,
      Array.from({ length: 20 }, (_, i) => ({ path: `/v2/models/${ep}/infer`, token: ctx.token, body: inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data: mlpInput(1, i) }]) })),
    );
    const seconds = (performance.now() - started) / 1000;
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    await ctx.plane.internals.recorder.flush();

    const db = await getDb();
    const endpoint = await db.endpoint.findUniqueOrThrow({ where: { name: ep } });
    const logged = await db.predictionLog.count({ where: { endpointId: endpoint.id } });
    const metrics = (await planeFetch(ctx.plane.port, "/metrics")).bytes.toString();
    const overCap = Number(/^ferry_prediction_log_over_cap_total (\d+)$/m.exec(metrics)?.[1]);
    expect(logged).toBeGreaterThanOrEqual(3);
    expect(logged).toBeLessThanOrEqual(3 + Math.ceil(seconds * 3));
    expect(logged + overCap).toBe(20);
  });
});
