/**
 * Integration tests run against a real database created for this run: a fresh Postgres database on
 * 127.0.0.1:5432 (TEST_DATABASE_URL overrides the server), migrated once and dropped at the end — or, with
 * FERRY_TEST_DB=pglite, an embedded PGlite per test file (see setup-env.ts).
 */
import crypto from "node:crypto";
import { createScratchDatabase, databaseUrl } from "../lib/db/scratch-database";
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
  const server = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `ferry_test_${Date.now()}_${crypto.randomBytes(3).toString("hex")}`;
  const drop = await createScratchDatabase(server, name);
  const url = databaseUrl(server, name);
  process.env.DATABASE_URL = url;
  const { migrateDatabase } = await import("../lib/db/migrate");
  await migrateDatabase();
  project.provide("databaseUrl", url);

  return drop;
}
