/**
 * The number in the navigation's Alerts badge: alerts with status `open` only — acknowledged ones have an owner
 * working on them and muted ones asked for silence, so neither needs attention from whoever looks next.
 */
import type { Db } from "@/lib/db/client";

export async function countOpenAlerts(db: Db): Promise<number> {
  return db.alert.count({ where: { status: "open" } });
}
