import { migrateDatabase } from "@/lib/db/migrate";
import { closeDb } from "@/lib/db/client";
import { config } from "@/lib/config";

export async function run(): Promise<number> {
  const applied = await migrateDatabase();
  const where = config().embedded ? `embedded database ${config().pgliteDir}` : "DATABASE_URL";
  console.log(applied.length ? `applied ${applied.length} migration(s) to ${where}: ${applied.join(", ")}` : `${where} is up to date`);
  await closeDb();
  return 0;
}
