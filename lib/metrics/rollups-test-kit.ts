/**
 * Helpers for the rollup integration tests: an endpoint, deterministic per-minute rollups from several instances,
 * and the hourly sums those rows should produce, computed here independently of the SQL under test.
 */
import crypto from "node:crypto";
import { getDb } from "@/lib/db/client";
import { seededRandom } from "@/lib/onnx/seeded-random";
import { LATENCY_BUCKET_COUNT } from "./latency-buckets";
import type { MinuteRollupRow, RollupCounters } from "./rollup-counters";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

export type MinuteRow = MinuteRollupRow;

export async function makeEndpoint(prefix: string): Promise<{ id: string; name: string }> {
  const db = await getDb();
  const suffix = `${Date.now().toString(36)}-${crypto.randomBytes(3).toString("hex")}`;
  const model = await db.model.create({ data: { name: `${prefix}-model-${suffix}` } });
  return db.endpoint.create({ data: { name: `${prefix}-${suffix}`, modelId: model.id, config: {} }, select: { id: true, name: true } });
}

/**
 * Rows for every minute in [from, to) for each version and instance, with some minutes missing (gaps must stay
 * gaps). Latency and queue sums are whole numbers so that float sums are exact in any order and answers can be
 * compared exactly; histogram counts add up to `count`.
 */
export function minuteRows(o: { endpointId: string; versions: number[]; instances: string[]; from: number; to: number; seed: number; skip?: number }): MinuteRow[] {
  const next = seededRandom(o.seed);
  const rows: MinuteRow[] = [];
  for (let t = o.from; t < o.to; t += MINUTE_MS) {
    for (const version of o.versions) {
      for (const instanceId of o.instances) {
        if (next() < (o.skip ?? 0.15)) continue;
        const latencyBuckets = new Array(LATENCY_BUCKET_COUNT).fill(0);
        let count = 0;
        // Versions differ in where their latencies sit, so per-version percentiles differ.
        for (let i = 0; i < 1 + Math.floor(next() * 40); i++) {
          latencyBuckets[Math.min(LATENCY_BUCKET_COUNT - 1, 4 + version * 2 + Math.floor(next() * 8))]++;
          count++;
        }
        const errors = Math.floor(next() * 3);
        const shadowCount = Math.floor(next() * 3);
        rows.push({
          endpointId: o.endpointId,
          version,
          minute: new Date(t),
          instanceId,
          count,
          errors,
          latencySumMs: count * (3 + version) + Math.floor(next() * 50),
          latencyBuckets,
          queueSumMs: Math.floor(next() * 10),
          batchRows: count + Math.floor(next() * 4),
          shadowCount,
          shadowAgree: Math.floor(next() * (shadowCount + 1)),
          shadowAbsDiff: Math.floor(next() * 7),
        });
      }
    }
  }
  return rows;
}

export interface HourSums extends RollupCounters {
  endpointId: string;
  version: number;
  hour: number;
  minuteRows: number;
}

/** What MetricRollupHour should hold for these minute rows, sorted by endpoint, version and hour. */
export function expectedHours(rows: readonly MinuteRow[]): HourSums[] {
  const byKey = new Map<string, HourSums>();
  for (const r of rows) {
    const hour = Math.floor(r.minute.getTime() / HOUR_MS) * HOUR_MS;
    const key = `${r.endpointId}|${r.version}|${hour}`;
    let h = byKey.get(key);
    if (!h) {
      const zero = { minuteRows: 0, count: 0, errors: 0, latencySumMs: 0, queueSumMs: 0, batchRows: 0, shadowCount: 0, shadowAgree: 0, shadowAbsDiff: 0 };
      h = { endpointId: r.endpointId, version: r.version, hour, ...zero, latencyBuckets: new Array(LATENCY_BUCKET_COUNT).fill(0) };
      byKey.set(key, h);
    }
    h.minuteRows++;
    h.count += r.count;
    h.errors += r.errors;
    h.latencySumMs += r.latencySumMs;
    r.latencyBuckets.forEach((c, i) => (h.latencyBuckets[i] += c));
    h.queueSumMs += r.queueSumMs;
    h.batchRows += r.batchRows;
    h.shadowCount += r.shadowCount;
    h.shadowAgree += r.shadowAgree;
    h.shadowAbsDiff += r.shadowAbsDiff;
  }
  return [...byKey.values()].sort((a, b) => a.endpointId.localeCompare(b.endpointId) || a.version - b.version || a.hour - b.hour);
}

/** MetricRollupHour rows of the given endpoints, as plain numbers, in the order of expectedHours. */
export async function readHours(endpointIds: string[]): Promise<HourSums[]> {
  const db = await getDb();
  const rows = await db.metricRollupHour.findMany({ where: { endpointId: { in: endpointIds } } });
  return rows
    .map((r) => ({
      endpointId: r.endpointId,
      version: r.version,
      hour: r.hour.getTime(),
      minuteRows: r.minuteRows,
      count: Number(r.count),
      errors: Number(r.errors),
      latencySumMs: r.latencySumMs,
      latencyBuckets: r.latencyBuckets.map(Number),
      queueSumMs: r.queueSumMs,
      batchRows: Number(r.batchRows),
      shadowCount: Number(r.shadowCount),
      shadowAgree: Number(r.shadowAgree),
      shadowAbsDiff: r.shadowAbsDiff,
    }))
    .sort((a, b) => a.endpointId.localeCompare(b.endpointId) || a.version - b.version || a.hour - b.hour);
}
