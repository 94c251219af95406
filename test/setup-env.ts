/** Per test file: point the process at the run's database and a private data directory. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";

const url = inject("databaseUrl");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-test-"));
process.env.FERRY_DATA_DIR = dataDir;
(process.env as Record<string, string>).NODE_ENV = "test";
process.env.NEXTAUTH_SECRET ??= "ferry-test-secret-not-for-production";
if (url) process.env.DATABASE_URL = url;
else delete process.env.DATABASE_URL;

beforeAll(async () => {
  if (!url) {
    const { migrateDatabase } = await import("@/lib/db/migrate");
    await migrateDatabase();
  }
}, 120_000);

afterAll(async () => {
  const { closeDb } = await import("@/lib/db/client");
  await closeDb();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
