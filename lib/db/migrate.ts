/**
 * Applying and creating Prisma migrations through the WASM schema engine (see schema-engine.ts).
 * `applyMigrations` is what `npm start` and `npm run db:migrate` call; `diffMigration` backs `npm run db:diff`.
 */
import fs from "node:fs";
import path from "node:path";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { createSchemaEngine } from "./schema-engine";

export const PRISMA_DIR = path.join(process.cwd(), "prisma");
const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
const LOCKFILE = "migration_lock.toml";

function readMigrations() {
  const lockPath = path.join(MIGRATIONS_DIR, LOCKFILE);
  const dirs = fs.existsSync(MIGRATIONS_DIR)
    ? fs
        .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: LOCKFILE, content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((dir) => {
      const file = path.join(MIGRATIONS_DIR, dir, "migration.sql");
      return {
        path: dir,
        migrationFile: {
          path: "migration.sql",
          content: fs.existsSync(file)
            ? { tag: "ok" as const, value: fs.readFileSync(file, "utf8") }
            : { tag: "error" as const, value: `missing ${dir}/migration.sql` },
        },
      };
    }),
  };
}

function readDatamodel(): string {
  return fs.readFileSync(path.join(PRISMA_DIR, "schema.prisma"), "utf8");
}

const NO_FILTER = { externalTables: [], externalEnums: [] };

/** Applies every pending migration; returns the names applied now. */
export async function applyMigrations(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const { engine } = await createSchemaEngine(factory, readDatamodel());
  try {
    const out = await engine.applyMigrations({ migrationsList: readMigrations(), filters: NO_FILTER });
    return out.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * Writes a new migration folder with the SQL that takes the migrations' schema to schema.prisma.
 * Returns the folder, or undefined when there is nothing to change.
 */
export async function diffMigration(factory: SqlMigrationAwareDriverAdapterFactory, name: string) {
  // The engine reads the connector from the lockfile; a fresh checkout always has it, this covers a deleted one.
  const lock = path.join(MIGRATIONS_DIR, LOCKFILE);
  if (!fs.existsSync(lock)) {
    fs.mkdirSync(MIGRATIONS_DIR, { recursive: true });
    fs.writeFileSync(lock, 'provider = "postgresql"\n');
  }
  const { engine } = await createSchemaEngine(factory, readDatamodel());
  try {
    const result = await engine.diff({
      from: { tag: "migrations", ...readMigrations() },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: readDatamodel() }] },
      script: true,
      exitCode: true,
      filters: NO_FILTER,
    });
    if (result.exitCode !== 2 || !result.stdout) return undefined;
    const stamp = new Date().toISOString().replace(/[-:TZ.]/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name.replace(/[^a-z0-9_]+/gi, "_")}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), result.stdout);
    return dir;
  } finally {
    engine.free();
  }
}

/** Migrates the database the configuration names (Postgres or the embedded PGlite of this process). */
export async function migrateDatabase(): Promise<string[]> {
  const { config } = await import("@/lib/config");
  const { postgresMigrationFactory, pgliteMigrationFactory } = await import("./migration-adapters");
  const url = config().databaseUrl;
  let factory;
  if (url) {
    factory = postgresMigrationFactory(url);
  } else {
    const { openDb } = await import("./client");
    factory = await pgliteMigrationFactory((await openDb()).embedded!);
  }
  try {
    return await applyMigrations(factory);
  } finally {
    await factory.close();
  }
}
