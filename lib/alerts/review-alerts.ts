/**
 * One review step for several alerts at once (the alert list's selection, or a script triaging after an incident):
 * each alert goes through reviewAlert on its own — its own transaction, transition check and audit event — so one
 * that cannot take the step (already acknowledged, resolved meanwhile, gone) is reported beside the others instead of
 * failing them. An assignee that cannot take alerts is refused once, for the whole request.
 */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/record-audit";
import { isAppError } from "@/lib/errors";
import { checkAssignee, reviewAlert, type ReviewStep } from "./review-alert";

export interface BulkReviewResult {
  id: string;
  ok: boolean;
  /** The alert's status after the step (ok), or the HTTP status the single-alert route would have answered. */
  status: string | number;
  error?: string;
}

export const MAX_BULK_ALERTS = 200;

export async function reviewAlerts(o: { db: Db; actor: Actor; ids: readonly string[]; step: ReviewStep; now?: Date }): Promise<BulkReviewResult[]> {
  if (o.step.type === "assign") await checkAssignee(o.db, o.step.userId);
  const results: BulkReviewResult[] = [];
  for (const id of new Set(o.ids)) {
    try {
      const alert = await reviewAlert({ db: o.db, actor: o.actor, id, step: o.step, now: o.now });
      results.push({ id, ok: true, status: alert.status });
    } catch (e) {
      if (!isAppError(e)) throw e;
      results.push({ id, ok: false, status: e.status, error: e.message });
    }
  }
  return results;
}
