/** The endpoint's latest rollout (running or finished), its policy and the last rollout steps on its timeline. */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { toRolloutJson, type RolloutJson } from "./rollout-json";

export interface RolloutView {
  rollout: RolloutJson | null;
  /** The endpoint config's `rollout` policy, if any (what POST …/rollout starts by default). */
  policy: unknown;
  events: { id: string; kind: string; message: string; actor: string | null; createdAt: string; data: unknown }[];
}

export async function getRollout(o: { db: Db; endpointName: string; events?: number }): Promise<RolloutView> {
  const endpoint = await o.db.endpoint.findUnique({ where: { name: o.endpointName }, select: { id: true, config: true } });
  if (!endpoint) throw notFound(`endpoint '${o.endpointName}' does not exist`);
  const [rollout, events] = await Promise.all([
    o.db.rollout.findFirst({ where: { endpointId: endpoint.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
    o.db.endpointEvent.findMany({
      where: { endpointId: endpoint.id, kind: { startsWith: "rollout_" } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: o.events ?? 20,
    }),
  ]);
  return {
    rollout: rollout ? toRolloutJson(rollout) : null,
    policy: (endpoint.config as { rollout?: unknown }).rollout ?? null,
    events: events.map((e) => ({ id: e.id, kind: e.kind, message: e.message, actor: e.actorLabel, createdAt: e.createdAt.toISOString(), data: e.data })),
  };
}
