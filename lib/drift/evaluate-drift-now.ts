// An on-demand evaluation (`POST /api/endpoints/{name}/drift/evaluate`): the given window, or a window of the
// endpoint's scheduled length ending now — with the running minute, whose sketches are flushed as they grow, so
// "Evaluate now" right after traffic sees it (the schedule itself evaluates whole minutes).
import type { Actor } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db/client";
import { loadDriftSettings } from "@/lib/drift/drift-settings";
import { evaluateAndStoreDrift } from "@/lib/drift/evaluate-and-store-drift";

const MINUTE = 60_000;

export async function evaluateDriftNow(o: { db: Db; endpointName: string; actor: Actor; from?: Date; to?: Date; version?: number; now?: Date }) {
  let { from, to } = o;
  if (!from || !to) {
    const { settings } = await loadDriftSettings(o.db, o.endpointName);
    to = o.now ?? new Date();
    from = new Date(to.getTime() - settings.schedule.windowMinutes * MINUTE);
  }
  return evaluateAndStoreDrift({ db: o.db, endpointName: o.endpointName, from, to, version: o.version, trigger: "manual", actor: o.actor, now: o.now });
}
