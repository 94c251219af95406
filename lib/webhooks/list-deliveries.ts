/** Recent deliveries, newest first: of one webhook, or of all (the settings panel's table). */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";

export async function listDeliveries(o: { db: Db; webhookId?: string; take?: number }) {
  if (o.webhookId) {
    const hook = await o.db.webhook.findUnique({ where: { id: o.webhookId }, select: { id: true } });
    if (!hook) throw notFound(`no webhook ${o.webhookId}`);
  }
  return o.db.webhookDelivery.findMany({
    where: { webhookId: o.webhookId },
    orderBy: { createdAt: "desc" },
    take: Math.min(500, o.take ?? 100),
    include: { webhook: { select: { name: true } } },
  });
}
