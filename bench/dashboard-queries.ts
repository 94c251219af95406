/**
 * Dashboard queries at scale: 30 days of per-minute rollups for 10 versions of one endpoint (432,000 rows, two
 * data-plane instances for the last day), plus 20 quiet endpoints. Times the long-range queries on the minute rows
 * alone, then runs the hourly-rollups job as the scheduler would (its first pass over everything, a steady tick, a
 * tick with the sweep) and times every monitoring query on the path the dashboard takes.
 *
 *   npx tsx bench/dashboard-queries.ts            # a throwaway database on 127.0.0.1:5432 (TEST_DATABASE_URL overrides)
 *   npx tsx bench/dashboard-queries.ts --runs 10
 *   npx tsx bench/dashboard-queries.ts --pglite   # embedded PGlite in a temporary directory instead
 *
 * Prints one line per query: median and max milliseconds over the runs (after one warm-up run).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createScratchDatabase, databaseUrl } from "@/lib/db/scratch-database";

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

type Sql = (text: string, values?: unknown[]) => Promise<unknown>;

/** A fresh database for the run: its SQL runner (outside Prisma, for bulk seeding) and how to drop it. */
async function openBenchDatabase(usePglite: boolean): Promise<{ label: string; sql: Sql; drop(): Promise<void> }> {
  if (usePglite) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-bench-"));
    delete process.env.DATABASE_URL;
    process.env.FERRY_DATA_DIR = dir;
    const { migrateDatabase } = await import("@/lib/db/migrate");
    await migrateDatabase();
    const { getDb, closeDb } = await import("@/lib/db/client");
    const db = await getDb();
    return {
      label: "PGlite (embedded)",
      sql: async (text, values = []) => ({ rows: await db.$queryRawUnsafe(text, ...values) }),
      async drop() {
        await closeDb();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const server = new URL(process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  const name = `ferry_bench_${Date.now()}_${crypto.randomBytes(3).toString("hex")}`;
  const dropDatabase = await createScratchDatabase(server.toString(), name);
  const url = databaseUrl(server, name);
  process.env.DATABASE_URL = url;
  const client = new pg.Client({ connectionString: url });
  try {
    const { migrateDatabase } = await import("@/lib/db/migrate");
    await migrateDatabase();
    await client.connect();
  } catch (e) {
    await dropDatabase();
    throw e;
  }
  return {
    label: `Postgres (${server.host})`,
    sql: (text, values) => client.query(text, values),
    async drop() {
      await client.end();
      const { closeDb } = await import("@/lib/db/client");
      await closeDb();
      await dropDatabase();
    },
  };
}

async function main() {
  const runsArg = process.argv.indexOf("--runs");
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
  const database = await openBenchDatabase(process.argv.includes("--pglite"));
  try {
    const { getDb } = await import("@/lib/db/client");
    const { queryEndpointMetrics } = await import("@/lib/metrics/query-endpoint-metrics");
    const { queryFleetOverview } = await import("@/lib/metrics/query-fleet-overview");
    const { aggregateHourlyRollups } = await import("@/lib/metrics/aggregate-hourly-rollups");
    const { prepareRange } = await import("@/lib/metrics/prepare-range");
    const db = await getDb();
    const { sql } = database;

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
    await sql(`ANALYZE "MetricRollup"`);
    const count = async (table: string) => Number(((await sql(`SELECT count(*)::int AS n FROM "${table}"`)) as { rows: { n: number }[] }).rows[0].n);
    console.log(`${database.label}: seeded ${await count("MetricRollup")} rollup rows in ${((performance.now() - t0) / 1000).toFixed(1)} s (endpoint 'busy': 30 d × 10 versions + a second instance for 1 d)`);

    const long = [
      ["7d (step 60 min)", prepareRange({ range: "7d", now })],
      ["30d (step 240 min)", prepareRange({ range: "30d", now })],
      ["30d at 1 h step (720 pts)", { ...prepareRange({ range: "30d", now }), step: 3600 }],
    ] as const;
    console.log("\nminute rollups only (no hourly rows yet):");
    for (const [label, r] of long) await time(`queryEndpointMetrics ${label}`, runs, () => queryEndpointMetrics({ db, endpointName: "busy", ...r }));

    console.log("\nthe hourly-rollups job:");
    const pass = async (label: string, sweep: boolean) => {
      // The longest the event loop was held: on PGlite a statement runs on this thread, which in embedded mode also
      // serves inference requests.
      let last = performance.now();
      let longest = 0;
      const probe = setInterval(() => {
        const at = performance.now();
        longest = Math.max(longest, at - last);
        last = at;
      }, 1);
      const t = performance.now();
      const r = await aggregateHourlyRollups({ db, now: new Date(), sweep });
      const took = performance.now() - t;
      clearInterval(probe);
      longest = Math.max(longest, performance.now() - last);
      console.log(`${label.padEnd(46)} ${took.toFixed(1).padStart(7)} ms   (${r.swept + r.recent} hourly rows written; event loop held ≤ ${longest.toFixed(0)} ms at a time)`);
    };
    await pass("first pass (every minute row)", false);
    await sql(`ANALYZE "MetricRollupHour"`);
    await pass("a tick (recent hours)", false);
    await pass("a tick with the sweep", true);
    console.log(`${await count("MetricRollupHour")} hourly rows`);

    console.log("\nthe dashboard's queries:");
    for (const range of ["15m", "1h", "24h", "7d", "30d"] as const) {
      const r = prepareRange({ range, now });
      await time(`queryEndpointMetrics ${range} (step ${r.step / 60} min)`, runs, () => queryEndpointMetrics({ db, endpointName: "busy", ...r }));
    }
    await time("queryEndpointMetrics 30d at 1 h step (720 pts)", runs, () =>
      queryEndpointMetrics({ db, endpointName: "busy", ...prepareRange({ range: "30d", now }), step: 3600 }),
    );
    await time("queryFleetOverview (21 endpoints)", runs, () => queryFleetOverview({ db, now }));
  } finally {
    await database.drop();
  }
}

if (process.argv[1]?.endsWith("dashboard-queries.ts")) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
