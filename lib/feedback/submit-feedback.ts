/**
 * Stores ground truth for logged predictions: one upsert of the whole batch (a later label for the same request id
 * replaces the earlier one) plus one audit event, in one transaction. Feedback may arrive before the data plane
 * has flushed the prediction log, so nothing is refused for an unknown request id: `matched` says how many are
 * joinable now. A request id already holding feedback on another endpoint is left alone and counted in `skipped`.
 */
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { notFound } from "@/lib/errors";
import type { FeedbackItem } from "./feedback-body";

export interface SubmitFeedbackResult {
  received: number;
  stored: number;
  skipped: number;
  /** Items whose prediction is already in the log (the rest join when it arrives). */
  matched: number;
}

export async function submitFeedback(o: { db: Db; actor: Actor; endpointName: string; items: FeedbackItem[] }): Promise<SubmitFeedbackResult> {
  const endpoint = await o.db.endpoint.findUnique({ where: { name: o.endpointName }, select: { id: true, name: true } });
  if (!endpoint) throw notFound(`endpoint '${o.endpointName}' does not exist`);
  const ids = o.items.map((i) => i.request_id);
  const labels = o.items.map((i) => (i.label === undefined ? null : String(i.label)));
  const values = o.items.map((i) => i.value ?? null);
  return o.db.$transaction(async (tx) => {
    const stored = await tx.$executeRaw(Prisma.sql`
      INSERT INTO "Feedback" ("requestId", "endpointId", "label", "value")
      SELECT t.r, ${endpoint.id}, t.l, t.v FROM unnest(${ids}::text[], ${labels}::text[], ${values}::float8[]) AS t(r, l, v)
      ON CONFLICT ("requestId") DO UPDATE SET "label" = EXCLUDED."label", "value" = EXCLUDED."value", "createdAt" = CURRENT_TIMESTAMP
      WHERE "Feedback"."endpointId" = EXCLUDED."endpointId"`);
    // Distinct request ids: a client reusing an id has several logged predictions under it.
    const [{ matched }] = await tx.$queryRaw<{ matched: number }[]>(Prisma.sql`
      SELECT count(DISTINCT "requestId")::int AS matched FROM "PredictionLog"
      WHERE "endpointId" = ${endpoint.id} AND "requestId" = ANY(${ids}::text[])`);
    const result = { received: o.items.length, stored, skipped: o.items.length - stored, matched };
    await recordAudit(tx, o.actor, { action: "feedback.submit", objectType: "endpoint", objectId: endpoint.name, after: result });
    return result;
  });
}
