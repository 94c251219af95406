/**
 * The one Prisma client of a process, on globalThis so that Next.js bundles, the data plane and the CLI that share a
 * process (embedded mode) share one connection — PGlite allows one process per data directory and nothing else.
 * Secret columns are omitted by default; read them with an explicit `omit: { passwordHash: false }`.
 */
import fs from "node:fs";
import path from "node:path";
import { lockDataDir } from "./data-dir-lock";
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
  /** In embedded mode, the PGlite database in its worker thread (its adapter factory: migrations use it too). */
  embedded?: import("./pglite-in-worker").EmbeddedDb;
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

/** PGlite runs in a worker thread (pglite-in-worker.ts): on the calling thread every statement held the data plane. */
async function openEmbedded(dir: string): Promise<DbHandle> {
  const { openPgliteInWorker } = await import("./pglite-in-worker");
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const lock = lockDataDir(dir);
  let embedded: import("./pglite-in-worker").EmbeddedDb;
  try {
    fs.mkdirSync(dir, { recursive: true });
    embedded = await openPgliteInWorker(dir);
  } catch (e) {
    lock.release();
    throw e;
  }
  const db = makeClient(embedded.factory);
  return {
    db,
    embedded,
    async close() {
      await db.$disconnect();
      await embedded.close();
      lock.release();
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
