/**
 * Names for audited objects that events identify by an opaque id — an alert's title, a user's name and email, an API
 * token's or a webhook's name — so that the audit page says "f2 drifted on demo" where the event holds a cuid. One
 * query per kind for a page of events. An object deleted since has no label (the page shows its id alone).
 */
import type { Db } from "@/lib/db/client";

type Audited = { objectType: string; objectId: string | null };

const key = (type: string, id: string) => `${type}\u0000${id}`;

export type AuditObjectLabels = { get(type: string, id: string): string | undefined };

export async function auditObjectLabels(db: Db, events: readonly Audited[]): Promise<AuditObjectLabels> {
  const ids = (type: string) => [...new Set(events.filter((e) => e.objectType === type && e.objectId).map((e) => e.objectId!))];
  const [alerts, users, tokens, webhooks] = await Promise.all([
    lookup(ids("alert"), (id) => db.alert.findMany({ where: { id: { in: id } }, select: { id: true, title: true } })),
    lookup(ids("user"), (id) => db.user.findMany({ where: { id: { in: id } }, select: { id: true, email: true, name: true } })),
    lookup(ids("token"), (id) => db.apiToken.findMany({ where: { id: { in: id } }, select: { id: true, name: true } })),
    lookup(ids("webhook"), (id) => db.webhook.findMany({ where: { id: { in: id } }, select: { id: true, name: true } })),
  ]);
  const labels = new Map<string, string>();
  for (const a of alerts) labels.set(key("alert", a.id), a.title);
  for (const u of users) labels.set(key("user", u.id), u.name ? `${u.name} (${u.email})` : u.email);
  for (const t of tokens) labels.set(key("token", t.id), t.name);
  for (const w of webhooks) labels.set(key("webhook", w.id), w.name);
  return { get: (type, id) => labels.get(key(type, id)) };
}

async function lookup<T>(ids: string[], find: (ids: string[]) => Promise<T[]>): Promise<T[]> {
  return ids.length ? find(ids) : [];
}
