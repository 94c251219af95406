/**
 * Tells data planes that an endpoint's desired state changed (call after commit). Postgres: NOTIFY on the
 * `ferry_desired_state` channel; embedded mode (one process, no cross-connection NOTIFY): a process-wide EventEmitter.
 */
import { EventEmitter } from "node:events";
import { openDb } from "@/lib/db/client";

const key = Symbol.for("ferry.desired-state");
type G = typeof globalThis & { [key]?: EventEmitter };

export function desiredStateEvents(): EventEmitter {
  const g = globalThis as G;
  g[key] ??= new EventEmitter().setMaxListeners(0);
  return g[key];
}

export async function notifyDesiredState(endpointName: string): Promise<void> {
  const { pool } = await openDb();
  if (pool) await pool.query("SELECT pg_notify('ferry_desired_state', $1)", [endpointName]);
  else desiredStateEvents().emit("change", endpointName);
}
