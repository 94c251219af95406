/**
 * Audit events: every mutation writes one in the same transaction as the change (pass the transaction client);
 * denied attempts are written by the API wrapper.
 */
import type { Tx, Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/roles";
import type { Prisma } from "@/lib/generated/prisma/client";

/** The actor of a mutation as domain functions receive it. */
export interface Actor {
  type: "user" | "token" | "system" | "anonymous";
  id?: string;
  label: string;
  requestId?: string;
  ip?: string;
}

export function actorFrom(principal: Principal, requestId?: string, ip?: string): Actor {
  return { type: principal.type, id: principal.id, label: principal.label, requestId, ip };
}

export const SYSTEM_ACTOR: Actor = { type: "system", label: "ferry" };

export interface AuditEntry {
  action: string;
  objectType: string;
  objectId?: string | null;
  before?: unknown;
  after?: unknown;
  outcome?: "success" | "denied" | "failed";
  reason?: string;
}

function json(v: unknown): Prisma.InputJsonValue | undefined {
  if (v === undefined || v === null) return undefined;
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? Number(x) : x)));
}

export async function recordAudit(tx: Tx | Db, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorType: actor.type,
      actorId: actor.id,
      actorLabel: actor.label,
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId ?? undefined,
      before: json(entry.before),
      after: json(entry.after),
      outcome: entry.outcome ?? "success",
      reason: entry.reason,
      requestId: actor.requestId,
      ip: actor.ip,
    },
  });
}
