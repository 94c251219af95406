// Writes the recorder's drained sketches to DriftSketch. The recorder keeps each minute's sketch CUMULATIVE for
// its process, so a flush OVERWRITES the row of (endpoint, version, minute, instance, feature) instead of adding
// to it: flushing the same rows twice (a retry after a timeout whose commit did land) changes nothing, and two
// instances never touch each other's rows (evaluation merges across instances). The update only applies when the
// stored sketch has not seen more values than the new one, so an out-of-order older snapshot cannot win.
//
// instanceId must be unique per process lifetime (e.g. `${hostname}:${pid}:${startedAt}`): a restarted process
// starts its minutes from zero, and reusing the old id would overwrite what the previous process flushed.
import { Prisma } from "@/lib/generated/prisma/client";
import type { Db, Tx } from "@/lib/db/client";
import { sketchKeyOf, type DriftSketchRow } from "@/lib/drift/sketch-recorder";

const CHUNK = 500;

const countOf = (row: DriftSketchRow) => (JSON.parse(row.sketch) as { count: number }).count;

/** One row per key (Postgres refuses to update a row twice in one statement); the most complete snapshot wins. */
function latestPerKey(rows: readonly DriftSketchRow[]): DriftSketchRow[] {
  const byKey = new Map<string, DriftSketchRow>();
  for (const r of rows) {
    const key = sketchKeyOf(r);
    const seen = byKey.get(key);
    if (!seen || countOf(seen) <= countOf(r)) byKey.set(key, r);
  }
  return [...byKey.values()];
}

/** Upserts the rows for this instance; returns how many rows were inserted or updated. */
export async function flushSketches(db: Db | Tx, drained: readonly DriftSketchRow[], instanceId: string): Promise<number> {
  const rows = latestPerKey(drained);
  let written = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows
      .slice(i, i + CHUNK)
      .map((r) => Prisma.sql`(${r.endpointId}, ${r.version}::int, ${r.minute}::timestamp(3), ${instanceId}, ${r.feature}, ${r.sketch}::jsonb)`);
    written += await db.$executeRaw`
      INSERT INTO "DriftSketch" ("endpointId", "version", "minute", "instanceId", "feature", "sketch")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("endpointId", "version", "minute", "instanceId", "feature")
      DO UPDATE SET "sketch" = EXCLUDED."sketch"
       WHERE ("DriftSketch"."sketch"->>'count')::bigint <= (EXCLUDED."sketch"->>'count')::bigint`;
  }
  return written;
}
