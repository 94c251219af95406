import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { feedbackBodySchema, MAX_FEEDBACK_ITEMS } from "@/lib/feedback/feedback-body";
import { endpointParams, errorSchema } from "../rollout/route.schema";

export const feedbackResultSchema = z.object({
  received: z.number(),
  stored: z.number(),
  skipped: z.number().describe("request ids that already hold feedback for another endpoint"),
  matched: z.number().describe("items whose prediction is already in the prediction log; the rest join when it is flushed"),
});

/** 10,000 items of a request id, a label and a value fit well within this. */
export const FEEDBACK_MAX_BYTES = 4 * 1024 * 1024;

export const contracts = defineContracts([
  {
    method: "post",
    path: "/api/endpoints/{name}/feedback",
    summary: "Submit ground truth for logged predictions",
    description:
      `Up to ${MAX_FEEDBACK_ITEMS} items per call, joined to the prediction log by request_id (upsert: a later label ` +
      "replaces an earlier one). `label` (class index or text) for classifiers, `value` for regression. The body may " +
      "also be a bare array of items or a single item. Needs an operator, or a token with write scope.",
    tags: ["experiments"],
    role: "operator",
    params: endpointParams,
    body: feedbackBodySchema,
    responses: { 200: feedbackResultSchema, 400: errorSchema, 404: errorSchema },
  },
]);
