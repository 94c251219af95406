/**
 * A day of drift history for the demo, so the drift page's "over time" charts show a trend on first start rather than
 * one point. For each past hour, per-minute batches of demo rows go through the data plane's sketch recorder (a
 * growing share of them with f2 and f5 shifted over the last six hours, up to the share of the live traffic the seed
 * then sends), are written as the data plane writes its sketches, and each hour is evaluated with the real drift
 * statistics and stored as a scheduled report. The live hour is left to the live traffic. Past windows raise no
 * alerts (an alert is about now).
 */
import type { Db } from "@/lib/db/client";
import { loadDriftSettings } from "@/lib/drift/drift-settings";
import type { DriftSpec } from "@/lib/drift/drift-spec";
import { evaluateEndpointDrift } from "@/lib/drift/evaluate-endpoint-drift";
import { flushSketches } from "@/lib/drift/flush-sketches";
import { loadDriftSpec } from "@/lib/drift/load-drift-spec";
import { createSketchRecorder, type DriftSketchRow } from "@/lib/drift/sketch-recorder";
import { storeDriftReport } from "@/lib/drift/store-drift-report";
import { DEMO_SHIFT, DEMO_SHIFTED_FEATURES, demoRows } from "./demo-data";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Sketched minutes per past hour, and demo rows in each. */
const MINUTES_PER_HOUR = 6;
const ROWS_PER_MINUTE = 40;
/**
 * The share of rows whose f2 and f5 are shifted (by DEMO_SHIFT standard deviations) h hours before the live
 * hour: none until six hours ago, then growing to the third of the live traffic the seed sends shifted.
 */
export const demoShiftedShareAt = (h: number) => (h <= 6 ? (7 - h) / 18 : 0);

export interface DriftHistoryPlan {
  /** The evaluation windows, oldest first: whole hours ending where the live hour begins. */
  windows: { from: Date; to: Date; shiftedShare: number }[];
  rows: DriftSketchRow[];
}

/** Pure and deterministic: the sketch rows and the windows to evaluate, for `hours` past hours before the live one. */
export function synthesizeDriftHistory(o: { endpointId: string; version: number; spec: DriftSpec; now: Date; hours?: number }): DriftHistoryPlan {
  const hours = o.hours ?? 23;
  const liveHourStart = Math.floor(o.now.getTime() / MINUTE) * MINUTE - HOUR;
  const plan: DriftHistoryPlan = { windows: [], rows: [] };
  // The data plane's own recorder, fed as the data plane feeds it: one batch of rows per sketched minute.
  const recorder = createSketchRecorder({ loadSpec: () => o.spec, now: () => o.now.getTime() });
  const input = o.spec.features[0]?.input ?? "x";
  for (let h = hours; h >= 1; h--) {
    const to = liveHourStart - (h - 1) * HOUR;
    const from = to - HOUR;
    const shiftedShare = demoShiftedShareAt(h);
    const shifted = Math.round(ROWS_PER_MINUTE * shiftedShare);
    plan.windows.push({ from: new Date(from), to: new Date(to), shiftedShare });
    for (let k = 0; k < MINUTES_PER_HOUR; k++) {
      const seed = 10_000 + h * 100 + k * 2;
      const rows = [...demoRows(ROWS_PER_MINUTE - shifted, seed), ...demoRows(shifted, seed + 1, { features: DEMO_SHIFTED_FEATURES, by: DEMO_SHIFT })];
      const x = { datatype: "FP32", shape: [rows.length, rows[0].length], data: Float32Array.from(rows.flat()) };
      void recorder.record({ endpointId: o.endpointId, version: o.version, at: new Date(from + (k * 10 + 5) * MINUTE), inputs: new Map([[input, x]]) });
    }
  }
  plan.rows = recorder.drain(liveHourStart + HOUR);
  return plan;
}

/** Writes the plan's sketches and stores one evaluated report per window. Returns how many reports were stored. */
export async function seedDriftHistory(o: { db: Db; endpointName: string; version: number; now: Date }): Promise<number> {
  const endpoint = await o.db.endpoint.findUniqueOrThrow({ where: { name: o.endpointName }, select: { id: true } });
  const spec = await loadDriftSpec(o.db, endpoint.id, o.version);
  if (!spec) return 0;
  const plan = synthesizeDriftHistory({ endpointId: endpoint.id, version: o.version, spec, now: o.now });
  await flushSketches(o.db, plan.rows, "demo-history");
  const { settings } = await loadDriftSettings(o.db, o.endpointName);
  for (const w of plan.windows) {
    const report = await evaluateEndpointDrift({ db: o.db, endpointName: o.endpointName, from: w.from, to: w.to, version: o.version, settings });
    await storeDriftReport({ db: o.db, endpointId: endpoint.id, report, trigger: "schedule" });
  }
  return plan.windows.length;
}
