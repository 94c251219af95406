// Reads DriftSketch rows of one endpoint over a window and merges them per feature across minutes and instances.
// Rows are merged in a fixed order (minute, instance), so the same rows always give the same merged reservoir.
import type { Db } from "@/lib/db/client";
import { deserializeSketch, mergeSketches, type Sketch } from "@/lib/drift/sketch";

export type VersionTraffic = { version: number; rows: number };

/**
 * Rows served per version in [from, to): the largest per-feature count plus skipped (every row adds one count per
 * input feature, or one skipped past the drift budget).
 */
export async function countWindowRows(o: { db: Db; endpointId: string; from: Date; to: Date }): Promise<VersionTraffic[]> {
  const rows = await o.db.$queryRaw<{ version: number; rows: number }[]>`
    SELECT "version", max(c)::float8 AS rows
      FROM (SELECT "version", "feature", sum(("sketch"->>'count')::bigint + coalesce(("sketch"->>'skipped')::bigint, 0)) AS c
              FROM "DriftSketch"
             WHERE "endpointId" = ${o.endpointId} AND "minute" >= ${o.from} AND "minute" < ${o.to} AND "feature" LIKE 'input:%'
             GROUP BY 1, 2) f
     GROUP BY 1
     ORDER BY 2 DESC, 1 DESC`;
  return rows.map((r) => ({ version: Number(r.version), rows: Number(r.rows) }));
}

export type WindowSketches = {
  /** Keyed by the stored feature name ("input:<name>" / "output:<name>"). */
  sketches: Map<string, Sketch>;
  /** Sketch rows read. */
  rowCount: number;
  /** Rows whose sketch could not be merged with the others (a different spec); left out and counted. */
  mismatched: number;
};

export async function loadWindowSketches(o: { db: Db; endpointId: string; version: number; from: Date; to: Date }): Promise<WindowSketches> {
  const rows = await o.db.driftSketch.findMany({
    where: { endpointId: o.endpointId, version: o.version, minute: { gte: o.from, lt: o.to } },
    orderBy: [{ minute: "asc" }, { instanceId: "asc" }, { feature: "asc" }],
    select: { feature: true, sketch: true },
  });
  const sketches = new Map<string, Sketch>();
  let mismatched = 0;
  for (const row of rows) {
    let sketch: Sketch;
    try {
      sketch = deserializeSketch(row.sketch as object);
    } catch {
      mismatched++;
      continue;
    }
    const seen = sketches.get(row.feature);
    if (!seen) {
      sketches.set(row.feature, sketch);
      continue;
    }
    try {
      sketches.set(row.feature, mergeSketches(seen, sketch));
    } catch {
      mismatched++;
    }
  }
  return { sketches, rowCount: rows.length, mismatched };
}
