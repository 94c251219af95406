/** What a review of several alerts did, in one sentence for the alert list (POST /api/alerts/review's answer). Pure. */
import { past, type ReviewAction } from "@/lib/alerts/alert-transitions";

export type ReviewOutcome = { changed: number; results: { id: string; ok: boolean; error?: string }[] };

/** "Acknowledged 2 of 3." plus, for the others, their titles and why they did not change. */
export function outcomeText(step: ReviewAction, outcome: ReviewOutcome, titleOf: (id: string) => string): string {
  const failed = outcome.results.filter((r) => !r.ok);
  const done = past(step);
  const head = `${done[0].toUpperCase()}${done.slice(1)} ${outcome.changed} of ${outcome.results.length}.`;
  if (failed.length === 0) return head;
  return `${head} Not changed: ${failed.map((r) => `${titleOf(r.id)} (${r.error ?? "refused"})`).join("; ")}.`;
}
