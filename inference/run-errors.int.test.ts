import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFailingModel } from "@/lib/onnx/build-model";
import { startDataPlane, type DataPlane } from "./start-data-plane";
import { addVersion, inferBody, makeInferToken, mlpInput, putEndpointRow, sendAtOnce, unique } from "./data-plane-test-kit";
import { RUN_ERRORS_LOGGED_PER_SECOND } from "./handle-infer";

// A run onnxruntime refuses (an index out of range) is answered 500 with its message and logged by the data plane as
// one JSON line with the endpoint, version and request id, at most RUN_ERRORS_LOGGED_PER_SECOND lines a second.
describe("failed runs", () => {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: "warn" },
    new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  const endpoint = unique("run-errors");
  let plane: DataPlane;
  let token: string;
  let version: number;

  beforeAll(async () => {
    const model = unique("run-errors-model");
    version = await addVersion(model, buildFailingModel({ seed: 2 }));
    await putEndpointRow(endpoint, { model, variants: [{ name: "main", version, weight: 1 }] });
    token = (await makeInferToken()).secret;
    plane = await startDataPlane({ logger, host: "127.0.0.1", port: 0, workers: 1, resyncMs: 300, flushMs: 60_000, databaseUrl: undefined, logSampleRate: 0 });
    await plane.refresh();
  }, 120_000);

  afterAll(async () => {
    await plane?.close();
  });

  const poisoned = (i: number) => {
    const data = mlpInput(1, i);
    data[0] = 20;
    return { path: `/v2/models/${endpoint}/infer`, token, body: inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data }]) };
  };
  const runErrors = () => lines.filter((l) => l.msg === "inference run failed (answered 500)");

  it("answers 500 with onnxruntime's message and logs it once, with the endpoint, version and request id", async () => {
    const [answer] = await sendAtOnce(plane.port, [poisoned(0)]);
    expect(answer.status).toBe(500);
    expect(answer.json.error).toMatch(/^inference failed: .*out of data bounds/);
    expect(runErrors()).toEqual([
      expect.objectContaining({ level: 40, endpoint, version, requestId: expect.any(String), error: expect.stringContaining("out of data bounds") }),
    ]);
  });

  it("logs a burst of them at most at its rate", async () => {
    const before = runErrors().length;
    const started = Date.now();
    const answers = await sendAtOnce(plane.port, Array.from({ length: 40 }, (_, i) => poisoned(i + 1)));
    const seconds = (Date.now() - started) / 1000;
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 500));
    const logged = runErrors().length - before;
    expect(logged).toBeGreaterThan(0);
    // One second's worth at once, then the rate (the first test's line came from the same bucket).
    expect(logged).toBeLessThanOrEqual(RUN_ERRORS_LOGGED_PER_SECOND * (1 + Math.ceil(seconds)));
    expect(logged).toBeLessThan(40);
  });
});
