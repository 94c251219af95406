"use client";
/**
 * The alert list, with a selection for operators: tick alerts (or the whole page) and acknowledge, resolve, mute,
 * unmute or assign them in one request (POST /api/alerts/review). Alerts that could not take the step are named with the reason.
 * Rows arrive formatted by the server page (times relative to its clock), so nothing here depends on the browser's.
 */
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Select } from "@/components/ui/form";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { useJsonRequest } from "@/components/ui/use-json-request";
import { AlertSeverityBadge, AlertStatusBadge } from "./alert-badges";
import { MUTE_OPTIONS } from "./alert-actions";
import { outcomeText, type BulkStep, type ReviewOutcome } from "./review-outcome";

export interface AlertListItem {
  id: string;
  severity: string;
  status: string;
  title: string;
  endpoint: string | null;
  signal: string;
  feature: string;
  value: string;
  threshold: string;
  fired: string;
  firedTitle: string;
  last: string;
  lastTitle: string;
  assignee: string | null;
}

export function AlertsTable({ rows, canReview, users }: { rows: AlertListItem[]; canReview: boolean; users: { id: string; label: string }[] }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [minutes, setMinutes] = useState(60);
  const [assignee, setAssignee] = useState("");
  const { request, pending, error, notice, setNotice } = useJsonRequest();
  // Alerts no longer on the page (resolved by someone else, filtered away) drop out of the selection.
  const chosen = rows.filter((r) => selected.has(r.id));
  const allChosen = rows.length > 0 && chosen.length === rows.length;

  function toggle(id: string) {
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }

  async function review(step: BulkStep) {
    const ids = chosen.map((r) => r.id);
    const body =
      typeof step === "object" ? { ids, step: "assign", userId: assignee || null } : step === "mute" ? { ids, step, minutes } : { ids, step };
    const answer = await request<ReviewOutcome>("POST", "/api/alerts/review", body);
    if (!answer) return;
    const titles = new Map(rows.map((r) => [r.id, r.title]));
    setNotice(outcomeText(step, answer.body, (id) => titles.get(id) ?? id));
    setSelected(new Set());
  }

  return (
    <>
      {canReview ? (
        <div className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-4 py-3" data-testid="alert-bulk-bar">
          <span className="mr-2 text-sm text-slate-600" aria-live="polite">{chosen.length ? `${chosen.length} selected` : "Select alerts to review them together"}</span>
          <Button size="sm" onClick={() => review("acknowledge")} disabled={pending || !chosen.length}>Acknowledge</Button>
          <Button size="sm" variant="secondary" onClick={() => review("resolve")} disabled={pending || !chosen.length}>Resolve</Button>
          <span className="flex items-center gap-1">
            <Button size="sm" variant="secondary" onClick={() => review("mute")} disabled={pending || !chosen.length}>Mute</Button>
            <Select aria-label="Mute selected for" className="w-auto py-1! text-xs!" value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} disabled={pending}>
              {MUTE_OPTIONS.map(([m, label]) => <option key={m} value={m}>for {label}</option>)}
            </Select>
          </span>
          <Button size="sm" variant="ghost" onClick={() => review("unmute")} disabled={pending || !chosen.length}>Unmute</Button>
          <span className="flex items-center gap-1 sm:ml-auto">
            <Select aria-label="Assign selected to" className="w-auto max-w-56 py-1! text-xs!" value={assignee} onChange={(e) => setAssignee(e.target.value)} disabled={pending}>
              <option value="">Unassigned</option>
              {users.map((u) => <option key={u.id} value={u.id}>{u.label}</option>)}
            </Select>
            <Button size="sm" variant="secondary" onClick={() => review({ assign: users.find((u) => u.id === assignee)?.label ?? null })} disabled={pending || !chosen.length}>
              Assign
            </Button>
          </span>
        </div>
      ) : null}
      {error || notice ? (
        <div className="border-b border-slate-100 px-4 py-3">{error ? <Alert>{error}</Alert> : <Alert tone="success">{notice}</Alert>}</div>
      ) : null}
      {/* Cells a little tighter than other tables': the selection column must not push Assignee out of sight. */}
      <Table aria-label="Alerts" className="[&_td]:px-3 [&_th]:px-3">
        <thead>
          <tr>
            {canReview ? (
              <Th className="w-10 pr-0">
                <input
                  type="checkbox"
                  aria-label="Select every alert on this page"
                  className="h-4 w-4 rounded border-slate-300"
                  checked={allChosen}
                  onChange={() => setSelected(allChosen ? new Set() : new Set(rows.map((r) => r.id)))}
                />
              </Th>
            ) : null}
            <Th>Severity</Th>
            <Th>Status</Th>
            <Th>Alert</Th>
            <Th>Endpoint</Th>
            <Th>Signal</Th>
            <Th>Value / threshold</Th>
            <Th>Fired first / last</Th>
            <Th>Assignee</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((a) => (
            <Tr key={a.id} data-testid="alert-row" className={selected.has(a.id) ? "bg-brand-50/40" : undefined}>
              {canReview ? (
                <Td className="w-10 pr-0">
                  <input type="checkbox" aria-label={`Select ${a.title}`} className="h-4 w-4 rounded border-slate-300" checked={selected.has(a.id)} onChange={() => toggle(a.id)} />
                </Td>
              ) : null}
              <Td><AlertSeverityBadge severity={a.severity} /></Td>
              <Td><AlertStatusBadge status={a.status} /></Td>
              <Td className="min-w-48 max-w-xs whitespace-normal!">
                <Link href={`/alerts/${a.id}`} className="font-medium text-brand-700 hover:underline">{a.title}</Link>
              </Td>
              <Td>{a.endpoint ? <Link className="hover:underline" href={`/endpoints/${a.endpoint}`}>{a.endpoint}</Link> : "—"}</Td>
              <Td>
                {a.signal}
                {a.feature ? <div className="font-mono text-xs text-slate-500">{a.feature}</div> : null}
              </Td>
              <Td className="tabular-nums">
                {a.value} <span className="text-slate-400">/ {a.threshold}</span>
              </Td>
              <Td>
                <div title={a.firedTitle}>{a.fired}</div>
                <div className="text-xs text-slate-500" title={a.lastTitle}>{a.last}</div>
              </Td>
              <Td>{a.assignee ?? <span className="text-slate-400">—</span>}</Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
