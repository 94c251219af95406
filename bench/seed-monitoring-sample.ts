/**
 * A day of realistic rollups for looking at the monitoring charts: endpoint `monitoring-sample` with versions 1 and 2
 * (80/20), diurnal traffic from two data-plane instances, 20 missing minutes 6 h ago (a gap, not a zero), and an error
 * and latency spike on v2 2 h ago. Writes wherever the configuration points (PGlite under FERRY_DATA_DIR by default).
 *
 *   FERRY_DATA_DIR=/tmp/ferry-look npx tsx bench/seed-monitoring-sample.ts
 */
import { migrateDatabase } from "@/lib/db/migrate";
import { closeDb, getDb } from "@/lib/db/client";
import { bucketIndex, emptyBuckets } from "@/lib/metrics/latency-buckets";

const NAME = "monitoring-sample";

/** Deterministic pseudo-random numbers, so two runs draw the same picture. */
function rng(seed: number) {
  return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

async function main() {
  await migrateDatabase();
  const db = await getDb();
  const model = await db.model.upsert({ where: { name: `${NAME}-model` }, create: { name: `${NAME}-model` }, update: {} });
  const endpoint = await db.endpoint.upsert({
    where: { name: NAME },
    create: { name: NAME, modelId: model.id, config: { model: model.name, variants: [{ name: "stable", version: 1, weight: 80 }, { name: "candidate", version: 2, weight: 20 }] } },
    update: {},
  });
  await db.metricRollup.deleteMany({ where: { endpointId: endpoint.id } });
  const rand = rng(42);
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const rows = [];
  for (let m = 24 * 60; m >= 0; m--) {
    if (m >= 6 * 60 && m < 6 * 60 + 20) continue; // data plane down: no rollups at all
    const minute = new Date(now - m * 60_000);
    const hour = minute.getUTCHours() + minute.getUTCMinutes() / 60;
    const diurnal = 0.55 + 0.45 * Math.sin(((hour - 8) / 24) * 2 * Math.PI);
    const spike = m >= 110 && m < 125;
    for (const [version, share, base] of [[1, 0.8, 4], [2, 0.2, 3]] as const) {
      for (const instanceId of ["dp-a", "dp-b"]) {
        const count = Math.round((900 * diurnal * share * (0.85 + 0.3 * rand())) / 2);
        const buckets = emptyBuckets();
        let sum = 0;
        let errors = 0;
        for (let i = 0; i < count; i++) {
          const slow = spike && version === 2 ? 8 : 1;
          const ms = base * slow * Math.exp(0.45 * (rand() + rand() + rand() - 1.5)) + (rand() < 0.01 ? 40 * rand() : 0);
          buckets[bucketIndex(ms)]++;
          sum += ms;
          if (rand() < (spike && version === 2 ? 0.15 : 0.002)) errors++;
        }
        rows.push({ endpointId: endpoint.id, version, minute, instanceId, count, errors, latencySumMs: sum, latencyBuckets: buckets });
      }
    }
  }
  await db.metricRollup.createMany({ data: rows });
  await db.endpointState.deleteMany({ where: { endpointId: endpoint.id } });
  await db.endpointState.createMany({
    data: ["dp-a", "dp-b"].flatMap((instanceId) => [1, 2].map((version) => ({ endpointId: endpoint.id, instanceId, version, state: "ready", generation: 1 }))),
  });
  console.log(`${rows.length} rollup rows for endpoint '${NAME}' (open /monitoring/${NAME})`);
  await closeDb();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
