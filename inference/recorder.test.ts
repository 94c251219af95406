import { describe, expect, it } from "vitest";
import pino from "pino";
import type { Db } from "@/lib/db/client";
import type { OipTensor } from "@/lib/oip/oip-tensor";
import { groupForSketching, type QueuedSketch } from "./drift-thread";
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

describe("groupForSketching", () => {
  const x = (rows: number[][], datatype: "FP32" | "FP64" = "FP32"): Map<string, OipTensor> =>
    new Map([["x", { datatype, shape: [rows.length, rows[0].length], data: (datatype === "FP32" ? Float32Array : Float64Array).from(rows.flat()) }]]);
  const rec = (endpointId: string, rows: number[][], at = 0, extra: Partial<QueuedSketch> = {}): QueuedSketch => ({
    endpointId,
    version: 1,
    at: new Date(at),
    inputs: x(rows),
    outputs: new Map([["y", { datatype: "FP32", shape: [rows.length, 1], data: Float32Array.from(rows.map((r) => r[0] * 10)) }]]),
    ...extra,
  });

  it("stacks consecutive records of one endpoint, version and minute with the same layout, in order", () => {
    const groups = groupForSketching([
      rec("a", [[1, 2]]),
      rec("a", [[3, 4], [5, 6]], 59_999),
      rec("b", [[7, 8]]), // another endpoint
      rec("b", [[9, 9]], 60_000), // another minute
      rec("b", [[1, 1]], 60_000, { version: 2 }), // another version
      rec("b", [[2, 2]], 60_000, { version: 2, inputs: x([[2, 2]], "FP64") }), // another layout
      rec("b", [[3, 3, 3]], 60_000, { version: 2 }), // another row width
    ]);
    const rowsOf = (t: OipTensor) => Array.from(t.data as Float32Array);
    expect(groups.map((g) => [g.endpointId, g.version, g.inputs.get("x")!.shape])).toEqual([
      ["a", 1, [3, 2]],
      ["b", 1, [1, 2]],
      ["b", 1, [1, 2]],
      ["b", 2, [1, 2]],
      ["b", 2, [1, 2]],
      ["b", 2, [1, 3]],
    ]);
    expect(rowsOf(groups[0].inputs.get("x")!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rowsOf(groups[0].outputs!.get("y")!)).toEqual([10, 30, 50]);
    expect(groups[0].at).toEqual(new Date(0));
  });
});
