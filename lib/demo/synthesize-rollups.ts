/**
 * A day of plausible per-minute rollups for the demo: diurnal traffic split 80/20, log-normal latencies (the
 * candidate a little slower), a short error spike and a twenty-minute gap where "the data plane was down" —
 * so the charts show gaps as gaps. Pure and deterministic.
 */
import { bucketIndex, emptyBuckets } from "@/lib/metrics/latency-buckets";
import { seededRandom } from "@/lib/onnx/seeded-random";
import type { MinuteRollupRow } from "@/lib/metrics/rollup-counters";

/** The demo has no shadow, so its rows leave the shadow counters to their defaults. */
export type SyntheticRollup = Omit<MinuteRollupRow, "shadowCount" | "shadowAgree" | "shadowAbsDiff">;

export function synthesizeRollups(opts: { endpointId: string; versions: number[]; now: Date; hours?: number }): SyntheticRollup[] {
  const hours = opts.hours ?? 24;
  const next = seededRandom(42);
  // Up to the minute before the current one, which belongs to live traffic (the chart has no gap before it).
  const end = Math.floor(opts.now.getTime() / 60_000) * 60_000;
  const minutes = hours * 60;
  const out: SyntheticRollup[] = [];
  for (let m = minutes; m >= 1; m--) {
    if (m > 360 && m <= 380) continue; // the gap
    const t = end - m * 60_000;
    const hourOfDay = new Date(t).getUTCHours() + new Date(t).getUTCMinutes() / 60;
    const diurnal = 0.55 + 0.45 * Math.sin(((hourOfDay - 8) / 24) * 2 * Math.PI);
    opts.versions.forEach((version, vi) => {
      const share = vi === 0 ? 0.8 : 0.2 / Math.max(1, opts.versions.length - 1);
      const count = Math.max(0, Math.round(240 * diurnal * share * (0.85 + 0.3 * next())));
      const spike = m > 120 && m <= 135 && vi === 1;
      const errors = Math.round(count * (spike ? 0.08 : 0.002) * next() * 2);
      const buckets = emptyBuckets();
      let sum = 0;
      const median = vi === 0 ? 1.4 : 1.9;
      for (let i = 0; i < count; i++) {
        const u1 = Math.max(next(), 1e-9);
        const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * next());
        const ms = median * Math.exp(0.45 * z) * (spike ? 2.5 : 1);
        buckets[bucketIndex(ms)]++;
        sum += ms;
      }
      out.push({
        endpointId: opts.endpointId,
        version,
        minute: new Date(t),
        instanceId: "demo-history",
        count,
        errors,
        latencySumMs: sum,
        latencyBuckets: buckets,
        queueSumMs: sum * 0.05,
        batchRows: count,
      });
    });
  }
  return out;
}
