/**
 * The body of POST /api/endpoints/{name}/feedback: `{ items: [...] }`, or — for convenience of scripts — a bare
 * array of items or a single item. Each item names a logged prediction by `request_id` (the inference answer's
 * `id` / `x-request-id`) and carries a `label` (classification: a class index like 2 or "2") and/or a numeric
 * `value` (regression). Pure.
 */
import { z } from "zod";

export const MAX_FEEDBACK_ITEMS = 10_000;

export const feedbackItemSchema = z
  .object({
    request_id: z.string().min(1).max(200),
    label: z.union([z.string().max(200), z.number()]).optional(),
    value: z.number().optional().describe("finite number (regression ground truth)"),
  })
  .strict()
  .refine((i) => i.label !== undefined || i.value !== undefined, { message: 'needs a "label" or a "value"' })
  .refine((i) => i.value === undefined || Number.isFinite(i.value), { message: "value must be a finite number", path: ["value"] });

export const feedbackBodySchema = z.object({ items: z.array(feedbackItemSchema).min(1, "needs at least one item").max(MAX_FEEDBACK_ITEMS, `at most ${MAX_FEEDBACK_ITEMS} items per call`) }).strict();

export type FeedbackItem = z.infer<typeof feedbackItemSchema>;

/** Accepts `{items}`, `[...]` or `{request_id, …}`; returns the items (later duplicates of a request id win). */
export function parseFeedbackBody(body: unknown): FeedbackItem[] {
  const wrapped = Array.isArray(body) ? { items: body } : body && typeof body === "object" && "request_id" in body ? { items: [body] } : body;
  const { items } = feedbackBodySchema.parse(wrapped);
  const byId = new Map<string, FeedbackItem>();
  for (const item of items) byId.set(item.request_id, item);
  return [...byId.values()];
}
