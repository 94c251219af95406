import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { errorSchema } from "@/lib/alerts/api-schemas";
import { MAX_BULK_ALERTS } from "@/lib/alerts/review-alerts";
import { MAX_MUTE_MINUTES } from "@/lib/alerts/review-alert";
import { REVIEW_ACTIONS } from "@/lib/alerts/alert-transitions";

export const reviewAlertsBody = z
  .object({
    ids: z.array(z.string().min(1).max(100)).min(1, "name at least one alert").max(MAX_BULK_ALERTS, `at most ${MAX_BULK_ALERTS} alerts at once`).describe("alert ids"),
    step: z.enum([...REVIEW_ACTIONS, "assign"]),
    minutes: z.int().min(1).max(MAX_MUTE_MINUTES).optional().describe("with step mute: 1 minute to 30 days"),
    userId: z.string().min(1).max(100).nullable().optional().describe("with step assign: an enabled user's id, or null to unassign"),
  })
  .strict()
  .refine((b) => (b.step === "mute") === (b.minutes !== undefined), { message: "minutes: give it with step mute, and only then", path: ["minutes"] })
  .refine((b) => (b.step === "assign") === (b.userId !== undefined), { message: "userId: give it with step assign (null to unassign), and only then", path: ["userId"] });

export const reviewAlertsResponse = z.object({
  changed: z.int().describe("alerts that took the step"),
  results: z.array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      status: z.union([z.string(), z.int()]).describe("the alert's status after the step, or the HTTP status its own route would have answered (404, 409)"),
      error: z.string().optional().describe("why this alert did not take the step"),
    }),
  ),
});

export const contracts = defineContracts([
  {
    method: "post",
    path: "/api/alerts/review",
    summary: "Acknowledge, resolve, mute, unmute or assign several alerts",
    description:
      "Each alert takes the step on its own, audited like the single-alert routes; one that cannot (already acknowledged, resolved, unknown) is reported in results with the reason and does not stop the others. An assignee who is not an enabled user is a 400 for the whole request.",
    tags: ["alerts"],
    role: "operator",
    body: reviewAlertsBody,
    responses: { 200: reviewAlertsResponse, 400: errorSchema },
  },
]);
