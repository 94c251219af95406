/**
 * Integration tests run against a real database created for this run: a fresh Postgres database on
 * 127.0.0.1:5432 (TEST_DATABASE_URL overrides the server), migrated once and dropped at the end — or, with
 * FERRY_TEST_DB=pglite, an embedded PGlite per test file (see setup-env.ts).
 */
import crypto from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string | undefined;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.FERRY_TEST_DB === "pglite") {
    project.provide("databaseUrl", undefined);
    return;
  }
  const server = new URL(process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  const name = `ferry_test_${Date.now()}_${crypto.randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  const { migrateDatabase } = await import("../lib/db/migrate");
  await migrateDatabase();
  project.provide("databaseUrl", url.toString());

  return async () => {
    const c = new pg.Client({ connectionString: server.toString() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  };
}
