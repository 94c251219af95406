import { describe, expect, it } from "vitest";
import pino from "pino";
import type { Db } from "@/lib/db/client";
import { Recorder } from "./recorder";

/** A database whose rollup transactions wait for the test; each upsert notes the count it was given. */
function gatedDb() {
  const counts: number[] = [];
  const gates: (() => void)[] = [];
  const db = {
    metricRollup: { upsert: (args: { update: { count: number } }) => (counts.push(args.update.count), Promise.resolve()) },
    $transaction: async (ops: Promise<unknown>[]) => {
      await new Promise<void>((open) => gates.push(open));
      return Promise.all(ops);
    },
  } as unknown as Db;
  return { db, counts, gates };
}

const served = (requestId: string) => ({ endpointId: "e1", endpoint: "ep", version: 1, status: 200, latencyMs: 1, requestId });

describe("Recorder.flush", () => {
  it("writes everything recorded before the call, even while an earlier flush is still writing", async () => {
    const { db, counts, gates } = gatedDb();
    const recorder = new Recorder({ db, instanceId: "i1", log: pino({ level: "silent" }), logSampleRate: 0 });
    recorder.recordRequest(served("a"));
    const first = recorder.flush(); // the timer's flush: takes its snapshot (1 request) and waits in the transaction
    recorder.recordRequest(served("b"));
    let secondDone = false;
    const second = recorder.flush().then(() => (secondDone = true));
    const third = recorder.flush();
    gates.shift()!();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(secondDone).toBe(false);
    expect(counts).toEqual([1, 2]); // one more flush for both later callers, with the second request
    gates.shift()!();
    await Promise.all([second, third]);
    expect(gates).toEqual([]);
  });
});

describe("the prediction log's cap", () => {
  const overCap = async (recorder: Recorder) => Number(/^ferry_prediction_log_over_cap_total (\d+)$/m.exec(await recorder.metricsText())?.[1]);
  const sampled = (max: number) => new Recorder({ db: gatedDb().db, instanceId: "i1", log: pino({ level: "silent" }), logSampleRate: 1, logMaxPerSecond: max });

  it("logs nothing at 0, and one row at once below one a second", async () => {
    const none = sampled(0);
    for (const id of ["a", "b", "c"]) none.recordRequest(served(id));
    expect(await overCap(none)).toBe(3);
    const slow = sampled(0.5);
    for (const id of ["a", "b", "c"]) slow.recordRequest(served(id));
    expect(await overCap(slow)).toBe(2);
  });
});
