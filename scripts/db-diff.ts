/** `npm run db:diff -- <name>`: creates prisma/migrations/<timestamp>_<name>/migration.sql from schema changes. */
import { diffMigration } from "@/lib/db/migrate";
import { pgliteMigrationFactory } from "@/lib/db/migration-adapters";
import { openPgliteInWorker } from "@/lib/db/pglite-in-worker";

async function main() {
  const name = process.argv[2];
  if (!name) {
    console.error("usage: npm run db:diff -- <migration_name>");
    process.exit(2);
  }
  // The diff needs a database only as a shadow to replay the existing migrations: an in-memory PGlite will do.
  const scratch = await openPgliteInWorker("memory://");
  const factory = await pgliteMigrationFactory(scratch);
  try {
    const dir = await diffMigration(factory, name);
    console.log(dir ? `created ${dir}` : "schema.prisma matches the migrations: nothing to create");
  } finally {
    await factory.close();
    await scratch.close();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
