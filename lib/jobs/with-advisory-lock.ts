/**
 * Runs `fn` only if this process wins a Postgres advisory lock for `name`, so any number of control-plane replicas
 * can schedule a job and exactly one runs it at a time. In embedded mode (one process) it simply runs.
 */
import { openDb } from "@/lib/db/client";

/** A stable 32-bit key per job name (FNV-1a), the space pg_try_advisory_lock(int, int) takes. */
export function lockKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

const FERRY_LOCK_SPACE = 0x46525259; // "FRRY"

export async function withAdvisoryLock<T>(name: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
  const handle = await openDb();
  if (!handle.pool) return { ran: true, value: await fn() };
  const client = await handle.pool.connect();
  try {
    const key = lockKey(name);
    const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS ok", [FERRY_LOCK_SPACE, key]);
    if (!rows[0]?.ok) return { ran: false };
    try {
      return { ran: true, value: await fn() };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1, $2)", [FERRY_LOCK_SPACE, key]);
    }
  } finally {
    client.release();
  }
}
