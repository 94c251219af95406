/** Adds a comment to an alert's thread (any status: post-mortem notes on resolved alerts are welcome). Audited. */
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { badRequest, notFound } from "@/lib/errors";

export const MAX_COMMENT_CHARS = 5000;

export async function commentAlert(o: { db: Db; actor: Actor; id: string; body: string; authorId?: string | null }) {
  const body = o.body.trim();
  if (!body) throw badRequest("the comment is empty");
  if (body.length > MAX_COMMENT_CHARS) throw badRequest(`a comment holds at most ${MAX_COMMENT_CHARS} characters`);
  return o.db.$transaction(async (tx) => {
    const alert = await tx.alert.findUnique({ where: { id: o.id }, select: { id: true } });
    if (!alert) throw notFound(`no alert ${o.id}`);
    const comment = await tx.alertComment.create({
      data: { alertId: alert.id, body, authorId: o.authorId ?? null },
      include: { author: { select: { id: true, email: true, name: true } } },
    });
    await recordAudit(tx, o.actor, {
      action: "alert.comment",
      objectType: "alert",
      objectId: alert.id,
      after: { commentId: comment.id, chars: body.length },
    });
    return comment;
  });
}
