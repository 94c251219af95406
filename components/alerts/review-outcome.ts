/** What a review of several alerts did, in one sentence for the alert list (POST /api/alerts/review's answer). Pure. */

export type Step = "acknowledge" | "resolve" | "mute" | "unmute";
export type ReviewOutcome = { changed: number; results: { id: string; ok: boolean; error?: string }[] };

const PAST: Record<Step, string> = { acknowledge: "Acknowledged", resolve: "Resolved", mute: "Muted", unmute: "Unmuted" };

/** "Acknowledged 2 of 3." plus, for the others, their titles and why they did not change. */
export function outcomeText(step: Step, outcome: ReviewOutcome, titleOf: (id: string) => string): string {
  const failed = outcome.results.filter((r) => !r.ok);
  const head = `${PAST[step]} ${outcome.changed} of ${outcome.results.length}.`;
  if (failed.length === 0) return head;
  return `${head} Not changed: ${failed.map((r) => `${titleOf(r.id)} (${r.error ?? "refused"})`).join("; ")}.`;
}
