/** Sends a `webhook.test` event to one webhook now (admin) and answers with the delivery as it stands afterwards. */
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { notFound } from "@/lib/errors";
import { deliverWebhooks } from "./deliver-webhooks";

export async function sendTestWebhook(o: { db: Db; actor: Actor; id: string; fetchImpl?: typeof fetch }) {
  const now = new Date();
  const delivery = await o.db.$transaction(async (tx) => {
    const hook = await tx.webhook.findUnique({ where: { id: o.id }, select: { id: true, name: true } });
    if (!hook) throw notFound(`no webhook ${o.id}`);
    const d = await tx.webhookDelivery.create({
      data: {
        webhookId: hook.id,
        event: "webhook.test",
        payload: { event: "webhook.test", occurredAt: now.toISOString(), webhook: { id: hook.id, name: hook.name }, message: "Test event from Ferry" },
        nextAttemptAt: now,
      },
    });
    await recordAudit(tx, o.actor, { action: "webhook.test", objectType: "webhook", objectId: hook.id, after: { deliveryId: d.id } });
    return d;
  });
  await deliverWebhooks({ db: o.db, ids: [delivery.id], now, fetchImpl: o.fetchImpl });
  return o.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id }, include: { webhook: { select: { name: true } } } });
}
