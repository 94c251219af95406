// An on-demand evaluation (`POST /api/endpoints/{name}/drift/evaluate`): the given window, or the endpoint's
// scheduled window ending at the current minute.
import type { Actor } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db/client";
import { loadDriftSettings } from "@/lib/drift/drift-settings";
import { evaluateAndStoreDrift } from "@/lib/drift/evaluate-and-store-drift";

const MINUTE = 60_000;

export async function evaluateDriftNow(o: { db: Db; endpointName: string; actor: Actor; from?: Date; to?: Date; version?: number; now?: Date }) {
  let { from, to } = o;
  if (!from || !to) {
    const { settings } = await loadDriftSettings(o.db, o.endpointName);
    to = new Date(Math.floor((o.now ?? new Date()).getTime() / MINUTE) * MINUTE);
    from = new Date(to.getTime() - settings.schedule.windowMinutes * MINUTE);
  }
  return evaluateAndStoreDrift({ db: o.db, endpointName: o.endpointName, from, to, version: o.version, trigger: "manual", actor: o.actor, now: o.now });
}
