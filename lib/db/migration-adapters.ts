/**
 * Migration-aware driver adapter factories for the WASM schema engine, with the mends ENVIRONMENT.md lists:
 * Postgres's internal `char` type (oid 18) read as text, scripts run whole, and a shadow database that we create
 * and drop ourselves (adapter-pg's own connects to the main database when given a connection string).
 */
import crypto from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { createScratchDatabase } from "./scratch-database";
import { withWholeScript } from "./schema-engine";

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** A pool whose results report `char` columns as text, which the adapter can deserialize. */
function charAsTextPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ ...config, max: 2 });
  pool.on("error", () => {});
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  (pool as unknown as { query: unknown }).query = async (...args: unknown[]) => {
    const result = await query(...args);
    for (const f of result.fields ?? []) if (f.dataTypeID === PG_CHAR_OID) f.dataTypeID = PG_TEXT_OID;
    return result;
  };
  return pool;
}

function discrete(url: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname),
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.slice(1)) || undefined,
    ssl: u.searchParams.get("sslmode") === "require" ? { rejectUnauthorized: false } : undefined,
  };
}

export function postgresMigrationFactory(url: string): SqlMigrationAwareDriverAdapterFactory & { close(): Promise<void> } {
  const main = discrete(url);
  const pools: pg.Pool[] = [];
  const connectTo = async (cfg: pg.PoolConfig, onDispose?: () => Promise<void>) => {
    const pool = charAsTextPool(cfg);
    pools.push(pool);
    const adapter = await new PrismaPg(pool).connect();
    withWholeScript(adapter, (script) => pool.query(script));
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await pool.end().catch(() => {});
      await onDispose?.();
    };
    return adapter;
  };
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => connectTo(main),
    async connectToShadowDb() {
      const name = `ferry_shadow_${crypto.randomBytes(6).toString("hex")}`;
      const drop = await createScratchDatabase(main, name);
      return connectTo({ ...main, database: name }, drop);
    },
    async close() {
      await Promise.all(pools.map((p) => p.end().catch(() => {})));
    },
  };
}

export async function pgliteMigrationFactory(
  embedded: import("./pglite-in-worker").EmbeddedDb,
): Promise<SqlMigrationAwareDriverAdapterFactory & { close(): Promise<void> }> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const shadows: InstanceType<typeof PGlite>[] = [];
  return {
    provider: "postgres",
    adapterName: "pglite-prisma-adapter",
    // The worker's adapter already runs scripts whole and awaited (pglite-prisma-adapter's own executeScript does
    // not await: a failing migration would be recorded as applied).
    connect: () => embedded.factory.connect(),
    async connectToShadowDb() {
      const shadow = await PGlite.create();
      shadows.push(shadow);
      const adapter = await new PrismaPGlite(shadow).connect();
      return withWholeScript(adapter, (script) => shadow.exec(script));
    },
    async close() {
      await Promise.all(shadows.map((s) => s.close().catch(() => {})));
    },
  };
}
