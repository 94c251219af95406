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
