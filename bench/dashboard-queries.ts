/**
 * Dashboard queries at scale: 30 days of per-minute rollups for 10 versions of one endpoint (432,000 rows, two
 * data-plane instances for the last day), plus 20 quiet endpoints, then times each monitoring query.
 *
 *   npx tsx bench/dashboard-queries.ts            # a throwaway database on 127.0.0.1:5432 (TEST_DATABASE_URL overrides)
 *   npx tsx bench/dashboard-queries.ts --runs 10
 *
 * Prints one line per query: median and max milliseconds over the runs (after one warm-up run).
 */
import crypto from "node:crypto";
import pg from "pg";

const DAY_MINUTES = 24 * 60;

export async function insertSyntheticRollups(
  sql: (text: string, values?: unknown[]) => Promise<unknown>,
  opts: { endpointId: string; versions: number; end: Date; minutes: number; instance: string },
) {
  // Per-row random histograms with a diurnal traffic shape; every value derives from the row so no subquery is shared.
  const bucket = (i: number) => `(random() * ${i < 10 ? 2 : i < 20 ? 20 : 1})::int`;
  const buckets = `ARRAY[${Array.from({ length: 28 }, (_, i) => bucket(i)).join(",")}]`;
  await sql(
    `INSERT INTO "MetricRollup" ("endpointId","version","minute","instanceId","count","errors","latencySumMs","latencyBuckets")
     SELECT $1, v, m, $2,
            (60 + 40 * sin(extract(epoch FROM m) / 86400 * 2 * pi()))::int,
            (random() * 2)::int,
            random() * 1000,
            ${buckets}
       FROM generate_series(1, $3::int) AS v,
            generate_series($4::timestamp - ($5::int - 1) * interval '1 minute', $4::timestamp, interval '1 minute') AS m`,
    [opts.endpointId, opts.instance, opts.versions, floorMinute(opts.end), opts.minutes],
  );
}

function floorMinute(d: Date): string {
  return new Date(Math.floor(d.getTime() / 60_000) * 60_000).toISOString().replace("Z", "");
}

async function time(label: string, runs: number, fn: () => Promise<unknown>) {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(46)} median ${ms[Math.floor(ms.length / 2)].toFixed(1).padStart(7)} ms   max ${ms[ms.length - 1].toFixed(1).padStart(7)} ms`);
}

async function main() {
  const runsArg = process.argv.indexOf("--runs");
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
  const server = new URL(process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  const name = `ferry_bench_${Date.now()}_${crypto.randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  try {
    const { migrateDatabase } = await import("@/lib/db/migrate");
    await migrateDatabase();
    const { getDb, closeDb } = await import("@/lib/db/client");
    const { queryEndpointMetrics } = await import("@/lib/metrics/query-endpoint-metrics");
    const { queryFleetOverview } = await import("@/lib/metrics/query-fleet-overview");
    const { prepareRange } = await import("@/lib/metrics/prepare-range");
    const db = await getDb();
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const sql = (text: string, values?: unknown[]) => client.query(text, values);

    const model = await db.model.create({ data: { name: "bench-model" } });
    const now = new Date();
    const t0 = performance.now();
    const busy = await db.endpoint.create({ data: { name: "busy", modelId: model.id, config: {} } });
    await insertSyntheticRollups(sql, { endpointId: busy.id, versions: 10, end: now, minutes: 30 * DAY_MINUTES, instance: "a" });
    await insertSyntheticRollups(sql, { endpointId: busy.id, versions: 10, end: now, minutes: DAY_MINUTES, instance: "b" });
    for (let i = 0; i < 20; i++) {
      const e = await db.endpoint.create({ data: { name: `quiet-${i}`, modelId: model.id, config: {} } });
      await insertSyntheticRollups(sql, { endpointId: e.id, versions: 2, end: now, minutes: 7 * DAY_MINUTES, instance: "a" });
    }
    await client.query(`ANALYZE "MetricRollup"`);
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "MetricRollup"`);
    console.log(`seeded ${rows[0].n} rollup rows in ${((performance.now() - t0) / 1000).toFixed(1)} s (endpoint 'busy': 30 d × 10 versions + a second instance for 1 d)`);

    for (const range of ["15m", "1h", "24h", "7d", "30d"] as const) {
      const r = prepareRange({ range, now });
      await time(`queryEndpointMetrics ${range} (step ${r.step / 60} min)`, runs, () =>
        queryEndpointMetrics({ db, endpointName: "busy", ...r }),
      );
    }
    await time("queryEndpointMetrics 30d at 1 h step (720 pts)", runs, () =>
      queryEndpointMetrics({ db, endpointName: "busy", ...prepareRange({ range: "30d", now }), step: 3600 }),
    );
    await time("queryFleetOverview (21 endpoints)", runs, () => queryFleetOverview({ db, now }));
    await client.end();
    await closeDb();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

if (process.argv[1]?.endsWith("dashboard-queries.ts")) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
