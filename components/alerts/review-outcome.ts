/** What a review of several alerts did, in one sentence for the alert list (POST /api/alerts/review's answer). Pure. */
import { past, type ReviewAction } from "@/lib/alerts/alert-transitions";

export type ReviewOutcome = { changed: number; results: { id: string; ok: boolean; error?: string }[] };

/** A step of the alert list's bar: a review action, or assigning to someone (`to`: their label; null unassigns). */
export type BulkStep = ReviewAction | { assign: string | null };

/** "Acknowledged 2 of 3." ("Assigned 2 of 2 to Ada.", "Unassigned 1 of 1.") plus, for the others, their titles and why they did not change. */
export function outcomeText(step: BulkStep, outcome: ReviewOutcome, titleOf: (id: string) => string): string {
  const failed = outcome.results.filter((r) => !r.ok);
  const done = typeof step === "string" ? past(step) : step.assign === null ? "unassigned" : "assigned";
  const to = typeof step === "object" && step.assign !== null ? ` to ${step.assign}` : "";
  const head = `${done[0].toUpperCase()}${done.slice(1)} ${outcome.changed} of ${outcome.results.length}${to}.`;
  if (failed.length === 0) return head;
  return `${head} Not changed: ${failed.map((r) => `${titleOf(r.id)} (${r.error ?? "refused"})`).join("; ")}.`;
}
