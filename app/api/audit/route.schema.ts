import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";

const isoDate = z.iso.datetime();
export const MAX_AUDIT_EXPORT = 10_000;
export const AUDIT_OUTCOMES = ["success", "denied", "failed"] as const;

export const auditEventSchema = z.object({
  id: z.string(),
  createdAt: isoDate,
  actorType: z.string().describe("user | token | system | anonymous"),
  actorId: z.string().nullable(),
  actorLabel: z.string().nullable().describe("email of the user or name of the token"),
  action: z.string().describe("dotted, e.g. token.create, alias.promote, user.login"),
  objectType: z.string(),
  objectId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  outcome: z.enum(AUDIT_OUTCOMES),
  reason: z.string().nullable(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
});

export const listAuditQuery = z.object({
  actor: z.string().max(200).optional().describe("substring of the actor's email or token name, or the actor id"),
  action: z.string().max(200).optional().describe("substring of the action"),
  objectType: z.string().max(100).optional(),
  objectId: z.string().max(200).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().max(500).optional().describe("nextCursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_EXPORT).optional().describe(`events per page (≤ 200, default 50); with format=jsonl the events in the file (≤ ${MAX_AUDIT_EXPORT}, default 1000)`),
  format: z.enum(["json", "jsonl"]).optional().describe("jsonl: a download, one event per line, newest first"),
});

export const listAuditResponse = z.object({
  events: z.array(auditEventSchema),
  nextCursor: z.string().nullable(),
});

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/audit",
    summary: "List audit events",
    description:
      "Newest first; every mutation and every denied attempt, with keyset pagination, or a JSON Lines download (format=jsonl) for an auditor or a SIEM. Operators and admins (the log names users and tokens).",
    tags: ["audit"],
    role: "operator",
    query: listAuditQuery,
    responses: { 200: listAuditResponse, 400: null },
  },
]);
