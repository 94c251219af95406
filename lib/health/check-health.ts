/**
 * What GET /api/health reports: the database (a round trip and its latency) and the data plane (its own
 * /v2/health/ready, with a short timeout so a hung data plane cannot hang the dashboard's health check).
 */
import type { Db } from "@/lib/db/client";

export interface HealthReport {
  status: "ok" | "degraded" | "down";
  database: { ok: boolean; latencyMs: number; embedded: boolean; error?: string };
  dataPlane: { ok: boolean; url: string; ready: boolean; error?: string };
}

async function checkDatabase(db: Db | null, embedded: boolean): Promise<HealthReport["database"]> {
  const start = performance.now();
  try {
    if (!db) throw new Error("not connected");
    await db.$queryRaw`SELECT 1`;
    return { ok: true, latencyMs: Math.round((performance.now() - start) * 10) / 10, embedded };
  } catch {
    // The message may name hosts or users: this answer is public, so say only that it failed.
    return { ok: false, latencyMs: Math.round(performance.now() - start), embedded, error: "unreachable" };
  }
}

async function checkDataPlane(url: string, timeoutMs: number): Promise<HealthReport["dataPlane"]> {
  try {
    const res = await fetch(`${url}/v2/health/ready`, { signal: AbortSignal.timeout(timeoutMs), cache: "no-store" });
    // Reachable = ok; ready = it can serve every endpoint it is asked to (it answers 503 while loading).
    return { ok: true, url, ready: res.ok };
  } catch (e) {
    const err = e as Error;
    return { ok: false, url, ready: false, error: err.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : err.message };
  }
}

export async function checkHealth(opts: { getDb: () => Promise<Db>; embedded: boolean; inferenceUrl: string; timeoutMs?: number }): Promise<HealthReport> {
  const dbPromise = opts.getDb().catch(() => null);
  const [database, dataPlane] = await Promise.all([
    dbPromise.then((db) => checkDatabase(db, opts.embedded)),
    checkDataPlane(opts.inferenceUrl.replace(/\/$/, ""), opts.timeoutMs ?? 1000),
  ]);
  const status = !database.ok ? "down" : dataPlane.ok && dataPlane.ready ? "ok" : "degraded";
  return { status, database, dataPlane };
}
