/**
 * The one Prisma client of a process, on globalThis so that Next.js bundles, the data plane and the CLI that share a
 * process (embedded mode) share one connection — PGlite allows one process per data directory and nothing else.
 * Secret columns are omitted by default; read them with an explicit `omit: { passwordHash: false }`.
 */
import fs from "node:fs";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { config } from "@/lib/config";

const OMIT = { user: { passwordHash: true }, apiToken: { hash: true } } as const;

function makeClient(adapter: import("@prisma/driver-adapter-utils").SqlDriverAdapterFactory) {
  return new PrismaClient({ adapter, omit: OMIT });
}

export type Db = ReturnType<typeof makeClient>;
/** The transaction client handed to `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

interface DbHandle {
  db: Db;
  /** In embedded mode, the PGlite instance (for LISTEN/NOTIFY-like events and raw access). */
  pglite?: import("@electric-sql/pglite").PGlite;
  /** With a real Postgres, the pg pool (for LISTEN/NOTIFY and advisory locks). */
  pool?: import("pg").Pool;
  close(): Promise<void>;
}

const globalKey = Symbol.for("ferry.db");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<DbHandle> };

async function openPostgres(url: string): Promise<DbHandle> {
  const { default: pg } = await import("pg");
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on("error", () => {});
  const db = makeClient(new PrismaPg(pool));
  return {
    db,
    pool,
    async close() {
      await db.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

async function openEmbedded(dir: string): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  fs.mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create({ dataDir: dir });
  const db = makeClient(new PrismaPGlite(pglite));
  return {
    db,
    pglite,
    async close() {
      await db.$disconnect();
      await pglite.close();
    },
  };
}

/** Opens (once per process) the database that the configuration names: Postgres when DATABASE_URL is set, else PGlite. */
export function openDb(): Promise<DbHandle> {
  const g = globalThis as GlobalWithDb;
  if (!g[globalKey]) {
    const c = config();
    g[globalKey] = c.databaseUrl ? openPostgres(c.databaseUrl) : openEmbedded(c.pgliteDir);
    g[globalKey].catch(() => {
      delete g[globalKey];
    });
  }
  return g[globalKey];
}

export async function getDb(): Promise<Db> {
  return (await openDb()).db;
}

export async function closeDb(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const handle = g[globalKey];
  delete g[globalKey];
  if (handle) await (await handle).close();
}
