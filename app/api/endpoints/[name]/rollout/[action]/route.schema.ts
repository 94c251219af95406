import { z } from "zod";
import { defineContracts, type ApiContract } from "@/lib/openapi/contract";
import { errorSchema, rolloutViewSchema } from "../route.schema";

export const ROLLOUT_ACTIONS = ["pause", "resume", "promote", "abort"] as const;
export const rolloutActionParams = z.object({ name: z.string().describe("endpoint name"), action: z.enum(ROLLOUT_ACTIONS) });
export const rolloutActionBody = z.object({ reason: z.string().max(1000).optional() }).strict();

const SUMMARY: Record<(typeof ROLLOUT_ACTIONS)[number], string> = {
  pause: "Pause the running rollout (weights stay; the guard stops judging)",
  resume: "Resume a paused rollout (the current step's bake starts over)",
  promote: "Promote now: 100 % to the candidate; an alias the stable variant routes by moves to the candidate",
  abort: "Abort: all traffic back to the stable variant at once",
};

export const contracts = defineContracts(
  ROLLOUT_ACTIONS.map(
    (action): ApiContract => ({
      method: "post",
      path: `/api/endpoints/{name}/rollout/${action}`,
      summary: SUMMARY[action],
      tags: ["rollouts"],
      role: "operator",
      params: z.object({ name: z.string().describe("endpoint name") }),
      body: rolloutActionBody,
      responses: { 200: rolloutViewSchema, 404: errorSchema, 409: errorSchema },
    }),
  ),
);
