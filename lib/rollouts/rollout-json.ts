/** The API shape of a rollout (GET/POST /api/endpoints/{name}/rollout…). */
import { z } from "zod";
import type { Rollout } from "@/lib/generated/prisma/client";

export const rolloutJsonSchema = z.object({
  id: z.string(),
  status: z.enum(["running", "paused", "promoted", "rolled_back", "aborted"]),
  candidateVersion: z.number(),
  stableVariant: z.string(),
  steps: z.array(z.number()),
  currentStep: z.number().describe("index into steps"),
  currentPercent: z.number().describe("the candidate's share of weighted traffic now"),
  bakeSeconds: z.number(),
  guards: z.record(z.string(), z.unknown()),
  reason: z.string().nullable(),
  stepStartedAt: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export type RolloutJson = z.infer<typeof rolloutJsonSchema>;

const FINISHED_PERCENT: Record<string, number> = { promoted: 100, rolled_back: 0, aborted: 0 };

export function toRolloutJson(r: Rollout): RolloutJson {
  return {
    id: r.id,
    status: r.status as RolloutJson["status"],
    candidateVersion: r.candidateVersion,
    stableVariant: r.stableVariant,
    steps: r.steps,
    currentStep: r.currentStep,
    currentPercent: FINISHED_PERCENT[r.status] ?? r.steps[r.currentStep] ?? 0,
    bakeSeconds: r.bakeSeconds,
    guards: (r.guards ?? {}) as Record<string, unknown>,
    reason: r.reason,
    stepStartedAt: r.stepStartedAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}
