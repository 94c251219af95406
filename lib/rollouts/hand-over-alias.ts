/**
 * After a promotion: when the stable variant routes through an alias (e.g. `production`), the registry should say
 * what the endpoint now serves. So the alias moves to the candidate (through promoteVersion: same checks, approvals
 * and audit as a person's promotion), and once it points at the candidate the endpoint's weights go back to the
 * stable variant — now the same version — so future promotions of the alias carry the endpoint along again.
 * The candidate variant stays in the config at weight 0. When the stable variant pins a version, nothing moves:
 * the candidate keeps 100 %. A refused or pending promotion leaves the candidate at 100 % and says why on the timeline.
 */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/record-audit";
import { logger } from "@/lib/logger";
import { promoteVersion } from "@/lib/registry/promote-version";
import { candidateVariantName } from "./rollout-config";
import { aliasVersions, lockEndpoint, logRolloutStep, writeRolloutWeights } from "./rollout-store";
import { notifyRollout } from "./notify-rollout";

export async function handOverAlias(o: { db: Db; actor: Actor; endpointName: string; rolloutId: string }): Promise<string> {
  const endpoint = await o.db.endpoint.findUnique({ where: { name: o.endpointName }, include: { model: true } });
  const rollout = await o.db.rollout.findUnique({ where: { id: o.rolloutId } });
  if (!endpoint || !rollout || rollout.status !== "promoted") return "nothing to hand over";
  const stable = (endpoint.config as { variants?: { name: string; alias?: string }[] }).variants?.find((v) => v.name === rollout.stableVariant);
  if (!stable?.alias) return "the stable variant pins a version; the candidate keeps 100 %";
  const alias = stable.alias;

  let outcome: string;
  try {
    const r = await promoteVersion({ db: o.db, actor: o.actor, model: endpoint.model.name, alias, version: rollout.candidateVersion, reason: `canary rollout on endpoint ${endpoint.name} promoted` });
    outcome = r.status === "pending" ? `promotion of ${alias} to v${rollout.candidateVersion} awaits approval (request ${r.requestId})` : "moved";
  } catch (e) {
    outcome = `could not move ${alias} to v${rollout.candidateVersion}: ${(e as Error).message}`;
    logger().warn({ err: e, endpoint: endpoint.name }, "rollout alias hand-over failed");
  }

  const done = await o.db.$transaction(async (tx) => {
    const locked = await lockEndpoint(tx, o.endpointName);
    const aliases = await aliasVersions(tx, locked.model.id);
    const stillStable = locked.config.variants.find((v) => v.name === rollout.stableVariant);
    if (outcome === "moved" && stillStable?.alias === alias && aliases[alias] === rollout.candidateVersion) {
      const candidateVariant = candidateVariantName(locked.config, rollout.candidateVersion);
      const { generation } = await writeRolloutWeights(tx, locked, { candidateVariant, stableVariant: rollout.stableVariant, candidateVersion: rollout.candidateVersion }, 0);
      await logRolloutStep(tx, o.actor, {
        endpoint: locked,
        rolloutId: rollout.id,
        action: "rollout.handover",
        message: `${endpoint.model.name}:${alias} now points to v${rollout.candidateVersion}; traffic follows ${rollout.stableVariant} (${alias}) again`,
        after: { alias, version: rollout.candidateVersion, generation },
        data: { alias, version: rollout.candidateVersion, generation },
      });
      return true;
    }
    await tx.endpointEvent.create({
      data: { endpointId: locked.id, kind: "rollout_handover", message: `the candidate keeps 100 %: ${outcome === "moved" ? "the routing changed meanwhile" : outcome}`, data: { rolloutId: rollout.id, alias }, actorLabel: o.actor.label },
    });
    return false;
  });
  if (done) await notifyRollout(o.endpointName);
  return done ? `${alias} moved to v${rollout.candidateVersion}` : outcome;
}
