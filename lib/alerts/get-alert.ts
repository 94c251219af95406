/** One alert with its comment thread (oldest first) and its webhook deliveries (newest first). */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { deliveryJson } from "@/lib/webhooks/webhook-json";
import { ALERT_INCLUDE, alertJson } from "./alert-json";

export async function getAlert(o: { db: Db; id: string }) {
  const alert = await o.db.alert.findUnique({
    where: { id: o.id },
    include: {
      ...ALERT_INCLUDE,
      comments: { orderBy: { createdAt: "asc" }, include: { author: { select: { id: true, email: true, name: true } } } },
      deliveries: { orderBy: { createdAt: "desc" }, take: 50, include: { webhook: { select: { name: true } } } },
    },
  });
  if (!alert) throw notFound(`no alert ${o.id}`);
  return alert;
}

export type AlertDetail = Awaited<ReturnType<typeof getAlert>>;

export function alertDetailJson(a: AlertDetail) {
  return {
    ...alertJson(a),
    comments: a.comments.map((c) => ({ id: c.id, body: c.body, author: c.author, createdAt: c.createdAt.toISOString() })),
    deliveries: a.deliveries.map(deliveryJson),
  };
}
