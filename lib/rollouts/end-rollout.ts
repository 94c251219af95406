/**
 * The three ways a rollout ends, inside the caller's transaction with the endpoint locked: promoted (100 % to the
 * candidate), rolled_back (the guard tripped) or aborted (an operator) — the latter two put all weighted traffic
 * back on the stable variant at once.
 */
import type { Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/record-audit";
import type { Rollout } from "@/lib/generated/prisma/client";
import { candidateVariantName } from "./rollout-config";
import { logRolloutStep, writeRolloutWeights, type LockedEndpoint } from "./rollout-store";

export type RolloutOutcome = "promoted" | "rolled_back" | "aborted";

const ACTION: Record<RolloutOutcome, string> = { promoted: "rollout.promote", rolled_back: "rollout.rollback", aborted: "rollout.abort" };

export async function endRollout(
  tx: Tx,
  actor: Actor,
  endpoint: LockedEndpoint,
  rollout: Rollout,
  outcome: RolloutOutcome,
  o: { reason?: string; now?: Date; data?: Record<string, unknown> } = {},
) {
  const candidateVariant = candidateVariantName(endpoint.config, rollout.candidateVersion);
  const target = { candidateVariant, stableVariant: rollout.stableVariant, candidateVersion: rollout.candidateVersion };
  const percent = outcome === "promoted" ? 100 : 0;
  const { generation } = await writeRolloutWeights(tx, endpoint, target, percent);
  const updated = await tx.rollout.update({
    where: { id: rollout.id },
    data: { status: outcome, reason: o.reason ?? null, finishedAt: o.now ?? new Date() },
  });
  const message =
    outcome === "promoted"
      ? `canary of v${rollout.candidateVersion} promoted: 100 % to ${candidateVariant}`
      : `canary of v${rollout.candidateVersion} ${outcome === "aborted" ? "aborted" : "rolled back"}: all traffic back to ${rollout.stableVariant}${o.reason ? ` (${o.reason})` : ""}`;
  await logRolloutStep(tx, actor, {
    endpoint,
    rolloutId: rollout.id,
    action: ACTION[outcome],
    message,
    before: { status: rollout.status, step: rollout.currentStep, percent: rollout.steps[rollout.currentStep] },
    after: { status: outcome, percent, generation },
    reason: o.reason,
    data: { candidateVersion: rollout.candidateVersion, percent, generation, ...o.data },
  });
  return updated;
}
