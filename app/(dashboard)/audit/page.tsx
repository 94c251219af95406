import Link from "next/link";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { getDb } from "@/lib/db/client";
import { listAuditEvents, listAuditObjectTypes } from "@/lib/audit/list-audit-events";
import { auditObjectLabels } from "@/lib/audit/audit-object-labels";
import { MAX_AUDIT_EXPORT } from "@/app/api/audit/route.schema";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Select } from "@/components/ui/form";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { buttonClass } from "@/components/ui/button";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { AuditJson } from "@/components/audit/audit-json";
import { auditObjectHref } from "@/components/audit/audit-object-href";

/** The object's name where it has one (an alert's title, a user's email…) over its id, linked to its page where it has one. */
function AuditObject({ type, id, label }: { type: string; id: string; label: string | undefined }) {
  const href = auditObjectHref(type, id);
  const idClass = "block max-w-[12rem] truncate font-mono text-xs";
  if (label) {
    const labelClass = "block max-w-[12rem] truncate text-sm";
    return (
      <>
        {href ? <Link href={href} className={`${labelClass} text-brand-700 hover:underline`} title={label}>{label}</Link> : <div className={`${labelClass} text-slate-900`} title={label}>{label}</div>}
        <div className={`${idClass} text-slate-400`} title={id}>{id}</div>
      </>
    );
  }
  return href ? (
    <Link href={href} className={`${idClass} text-brand-700 hover:underline`} title={id}>{id}</Link>
  ) : (
    <div className={`${idClass} text-slate-500`} title={id}>{id}</div>
  );
}

export const dynamic = "force-dynamic";
export const metadata = { title: "Audit" };

const OUTCOMES = ["success", "denied", "failed"] as const;
type Outcome = (typeof OUTCOMES)[number];
const OUTCOME_TONE = { success: "green", denied: "yellow", failed: "red" } as const;
const PAGE_SIZE = 50;

type Search = { actor?: string; action?: string; outcome?: string; objectType?: string; cursor?: string };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageUser("operator");
  const sp = await searchParams;
  const outcome = (OUTCOMES as readonly string[]).includes(sp.outcome ?? "") ? (sp.outcome as Outcome) : undefined;
  const filters = { actor: sp.actor?.trim() || undefined, action: sp.action?.trim() || undefined, objectType: sp.objectType || undefined, outcome };
  const db = await getDb();
  let cursor = sp.cursor;
  let page: Awaited<ReturnType<typeof listAuditEvents>>;
  try {
    page = await listAuditEvents({ db, filters, cursor, limit: PAGE_SIZE });
  } catch {
    // A mangled cursor in the URL starts over rather than failing the page.
    cursor = undefined;
    page = await listAuditEvents({ db, filters, limit: PAGE_SIZE });
  }
  const [objectTypes, labels] = await Promise.all([listAuditObjectTypes({ db }), auditObjectLabels(db, page.events)]);
  const filtered = Object.values(filters).some(Boolean);
  const query = (extra: Record<string, string | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) p.set(k, v);
    return p.toString();
  };
  const qs = (extra: Record<string, string | undefined>) => {
    const s = query(extra);
    return s ? `/audit?${s}` : "/audit";
  };
  const download = `/api/audit?${query({ format: "jsonl", limit: String(MAX_AUDIT_EXPORT) })}`;

  return (
    <>
      <PageHeader
        title="Audit"
        description="Every change and every denied attempt: who did what, to which object, and when. Newest first."
        actions={
          <a className={buttonClass("secondary")} href={download} download title={`The newest ${MAX_AUDIT_EXPORT.toLocaleString("en-US")} events matching the filters, one JSON object a line`}>
            Download JSONL
          </a>
        }
      />
      <form method="get" action="/audit" className="mb-4 flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
        <div className="w-56">
          <label htmlFor="f-actor" className="block text-xs font-medium text-slate-600">Actor</label>
          <Input id="f-actor" name="actor" defaultValue={filters.actor ?? ""} placeholder="email or token name" className="mt-1" />
        </div>
        <div className="w-48">
          <label htmlFor="f-action" className="block text-xs font-medium text-slate-600">Action</label>
          <Input id="f-action" name="action" defaultValue={filters.action ?? ""} placeholder="e.g. token. or alias.promote" className="mt-1" />
        </div>
        <div className="w-40">
          <label htmlFor="f-object" className="block text-xs font-medium text-slate-600">Object type</label>
          <Select id="f-object" name="objectType" defaultValue={filters.objectType ?? ""} className="mt-1">
            <option value="">any</option>
            {objectTypes.map((t) => <option key={t} value={t}>{t}</option>)}
          </Select>
        </div>
        <div className="w-36">
          <label htmlFor="f-outcome" className="block text-xs font-medium text-slate-600">Outcome</label>
          <Select id="f-outcome" name="outcome" defaultValue={outcome ?? ""} className="mt-1">
            <option value="">any</option>
            {OUTCOMES.map((o) => <option key={o} value={o}>{o}</option>)}
          </Select>
        </div>
        <button type="submit" className={buttonClass("secondary")}>Filter</button>
        {filtered ? <Link href="/audit" className="px-1 py-2 text-sm text-slate-500 hover:text-slate-900">Clear</Link> : null}
      </form>

      {page.events.length === 0 ? (
        <EmptyState
          title={filtered ? "No events match these filters" : "No audit events yet"}
          description={filtered
            ? "Try a broader filter, or clear them to see everything."
            : "Sign-ins, uploads, promotions, routing changes, token and user changes, and denied attempts will be listed here as they happen."}
        />
      ) : (
        <Card>
          <Table>
            <thead>
              <tr><Th>Time</Th><Th>Actor</Th><Th>Action</Th><Th>Object</Th><Th>Outcome</Th><Th>Changes</Th></tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.events.map((e) => (
                <Tr key={e.id} className="align-top">
                  <Td title={formatDateTime(e.createdAt)}>
                    <div>{formatRelative(e.createdAt)}</div>
                    <div className="text-xs text-slate-400">{formatDateTime(e.createdAt)}</div>
                  </Td>
                  <Td>
                    {/* A token's label can be long ("token:bootstrap (FERRY_BOOTSTRAP_TOKEN)"): it wraps anywhere rather than widen the table. */}
                    <div className="max-w-[10rem] whitespace-normal font-medium text-slate-900 [overflow-wrap:anywhere]">{e.actorLabel ?? e.actorId ?? "—"}</div>
                    <div className="text-xs text-slate-500">{e.actorType}{e.ip ? ` · ${e.ip}` : ""}</div>
                  </Td>
                  <Td><code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">{e.action}</code></Td>
                  <Td>
                    <div>{e.objectType}</div>
                    {e.objectId ? <AuditObject type={e.objectType} id={e.objectId} label={labels.get(e.objectType, e.objectId)} /> : null}
                  </Td>
                  <Td className="max-w-xs whitespace-normal!">
                    <Badge tone={OUTCOME_TONE[e.outcome]}>{e.outcome}</Badge>
                    {e.reason ? <div className="mt-1 text-xs text-slate-600">{e.reason}</div> : null}
                  </Td>
                  <Td><AuditJson before={e.before} after={e.after} /></Td>
                </Tr>
              ))}
            </tbody>
          </Table>
          <div className="flex items-center justify-between border-t border-slate-100 px-5 py-3 text-sm">
            <span className="text-slate-500">{page.events.length} event{page.events.length === 1 ? "" : "s"} on this page</span>
            <div className="flex gap-2">
              {cursor ? <Link href={qs({})} className={buttonClass("secondary", "sm")}>Newest</Link> : null}
              {page.nextCursor ? <Link href={qs({ cursor: page.nextCursor })} className={buttonClass("secondary", "sm")}>Older →</Link> : null}
            </div>
          </div>
        </Card>
      )}
    </>
  );
}
