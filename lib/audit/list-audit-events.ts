/**
 * Reads the audit log newest first with filters and keyset pagination: the cursor is the last row's (createdAt, id),
 * so pages stay stable while new events arrive.
 */
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { badRequest } from "@/lib/errors";
import { decodeKeysetCursor, encodeKeysetCursor, walkPages } from "@/lib/http/keyset-cursor";

export interface AuditFilters {
  /** Matches the actor's label (email or token name) or id; case-insensitive substring. */
  actor?: string;
  /** Case-insensitive substring of the action, e.g. "token." or "user.login". */
  action?: string;
  objectType?: string;
  objectId?: string;
  outcome?: "success" | "denied" | "failed";
  from?: Date;
  to?: Date;
}

export function decodeAuditCursor(cursor: string): { createdAt: Date; id: string } {
  const c = decodeKeysetCursor(cursor);
  if (!c) throw badRequest("invalid cursor");
  return c;
}

export const MAX_AUDIT_PAGE = 200;

export async function listAuditEvents(opts: { db: Db; filters?: AuditFilters; cursor?: string; limit?: number }) {
  const f = opts.filters ?? {};
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), MAX_AUDIT_PAGE);
  const and: Prisma.AuditEventWhereInput[] = [];
  if (f.actor) and.push({ OR: [{ actorLabel: { contains: f.actor, mode: "insensitive" } }, { actorId: f.actor }] });
  if (f.action) and.push({ action: { contains: f.action, mode: "insensitive" } });
  if (f.objectType) and.push({ objectType: f.objectType });
  if (f.objectId) and.push({ objectId: f.objectId });
  if (f.outcome) and.push({ outcome: f.outcome });
  if (f.from) and.push({ createdAt: { gte: f.from } });
  if (f.to) and.push({ createdAt: { lt: f.to } });
  if (opts.cursor) {
    const c = decodeAuditCursor(opts.cursor);
    and.push({ OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] });
  }
  const rows = await opts.db.auditEvent.findMany({
    where: { AND: and },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? encodeKeysetCursor(page[page.length - 1]) : null;
  return { events: page, nextCursor };
}

/** Up to `max` events, newest first, a page at a time: the audit download. */
export function exportAuditEvents(opts: { db: Db; filters?: AuditFilters; max: number }) {
  return walkPages(opts.max, MAX_AUDIT_PAGE, async (cursor, limit) => {
    const page = await listAuditEvents({ db: opts.db, filters: opts.filters, cursor, limit });
    return { rows: page.events, nextCursor: page.nextCursor };
  });
}

/** The object types present in the log, for the filter menu. */
export async function listAuditObjectTypes(opts: { db: Db }): Promise<string[]> {
  const rows = await opts.db.auditEvent.findMany({ distinct: ["objectType"], select: { objectType: true }, orderBy: { objectType: "asc" } });
  return rows.map((r) => r.objectType);
}
