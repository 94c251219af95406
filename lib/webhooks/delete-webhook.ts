/** Removes a webhook and its delivery history (admin, audited). */
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { notFound } from "@/lib/errors";
import { WEBHOOK_SELECT, webhookJson } from "./webhook-json";

export async function deleteWebhook(o: { db: Db; actor: Actor; id: string }): Promise<void> {
  await o.db.$transaction(async (tx) => {
    const hook = await tx.webhook.findUnique({ where: { id: o.id }, select: WEBHOOK_SELECT });
    if (!hook) throw notFound(`no webhook ${o.id}`);
    await tx.webhook.delete({ where: { id: hook.id } });
    await recordAudit(tx, o.actor, { action: "webhook.delete", objectType: "webhook", objectId: hook.id, before: webhookJson(hook) });
  });
}
