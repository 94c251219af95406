/**
 * Sampled prediction logs as the data plane stores them: rows written to `PredictionLog` in chunks, so that neither the
 * HTTP thread (which builds each chunk's JSON) nor the database holds for long on one statement. A row's tensors are
 * recorded as `lib/oip/logged-tensors` describes (raw little-endian bytes, base64).
 */
import type { Db } from "@/lib/db/client";

export interface LogRow {
  /** The data plane's own id for the row (a client may reuse its request ids): a retried flush inserts the row once. */
  logKey: string;
  requestId: string;
  endpointId: string;
  version: number;
  variant: string | null;
  latencyMs: number;
  status: number;
  inputs: unknown;
  outputs: unknown;
  createdAt: Date;
}

/** Rows per INSERT at most, and about how many bytes of logged tensors (JSON) per INSERT. */
export const LOG_CHUNK_ROWS = 1000;
export const LOG_CHUNK_BYTES = 128 * 1024;

export interface LogChunk {
  rows: LogRow[];
  /** The rows' inputs and outputs as JSON text (null where there are none). */
  inputs: (string | null)[];
  outputs: (string | null)[];
}

/**
 * The next rows to insert from the front of `logs`: at least one, at most LOG_CHUNK_ROWS, and no more than about
 * LOG_CHUNK_BYTES of logged tensors. When tensors were logged as JSON numbers, embedded PGlite spent ~0.4 ms on a row
 * of 2 × 256 of them (~10 KB), and a thousand such rows in one statement held the event loop for ~2 s while PGlite ran
 * on the HTTP thread (it now runs in a worker, lib/db/pglite-in-worker.ts, where a long statement still delays every
 * other query). The same row is ~3 KB as raw bytes; 128 KB keeps a statement to a few milliseconds either way.
 */
export function nextLogChunk(logs: readonly LogRow[]): LogChunk {
  const chunk: LogChunk = { rows: [], inputs: [], outputs: [] };
  let bytes = 0;
  for (const row of logs) {
    if (chunk.rows.length >= LOG_CHUNK_ROWS) break;
    const inputs = row.inputs == null ? null : JSON.stringify(row.inputs);
    const outputs = row.outputs == null ? null : JSON.stringify(row.outputs);
    const size = (inputs?.length ?? 0) + (outputs?.length ?? 0);
    if (chunk.rows.length > 0 && bytes + size > LOG_CHUNK_BYTES) break;
    chunk.rows.push(row);
    chunk.inputs.push(inputs);
    chunk.outputs.push(outputs);
    bytes += size;
  }
  return chunk;
}

/**
 * One INSERT … SELECT FROM unnest(arrays) per chunk, rows already written (a flush retried after a timeout whose
 * statement did commit) skipped by their log key: what `createMany({ skipDuplicates })` does, at a fraction of its
 * cost on the HTTP thread (Prisma's per-row argument processing showed up at ~5 % of the serving profile at 10 %
 * sampling).
 */
export async function insertLogChunk(db: Db, chunk: LogChunk): Promise<void> {
  const rows = chunk.rows;
  await db.$executeRawUnsafe(
    `INSERT INTO "PredictionLog" ("logKey", "requestId", "endpointId", "version", "variant", "latencyMs", "status", "inputs", "outputs", "createdAt")
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::float8[], $7::int[], $8::text[]::jsonb[], $9::text[]::jsonb[], $10::text[]::timestamp(3)[])
     ON CONFLICT ("logKey") DO NOTHING`,
    rows.map((r) => r.logKey),
    rows.map((r) => r.requestId),
    rows.map((r) => r.endpointId),
    rows.map((r) => r.version),
    rows.map((r) => r.variant),
    rows.map((r) => r.latencyMs),
    rows.map((r) => r.status),
    chunk.inputs,
    chunk.outputs,
    rows.map((r) => r.createdAt.toISOString().replace("T", " ").replace("Z", "")),
  );
}
