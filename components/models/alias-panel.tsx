"use client";
/** Promote a version to an alias, roll an alias back, and decide pending promotion requests. */
import { useState } from "react";
import { Alert, Input, Select } from "@/components/ui/form";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/components/ui/format";
import { useJsonRequest } from "@/components/ui/use-json-request";
import type { VersionMetrics } from "@/lib/registry/version-metrics";
import { MetricsAgainst } from "./version-metrics";

export interface AliasPanelProps {
  model: string;
  canEdit: boolean;
  currentUserLabel?: string;
  versions: { version: number; status: string; metrics: VersionMetrics }[];
  aliases: { name: string; version: number; rollbackTo: number | null }[];
  requests: { id: string; alias: string; version: number; status: string; requestedBy: string | null; createdAt: string }[];
}

export function AliasPanel(p: AliasPanelProps) {
  const ready = p.versions.filter((v) => v.status === "ready");
  const [version, setVersion] = useState<string>(ready[0] ? String(ready[0].version) : "");
  const [alias, setAlias] = useState("production");
  const [force, setForce] = useState(false);
  const m = useJsonRequest();
  const base = `/api/models/${encodeURIComponent(p.model)}`;

  async function promote() {
    const r = await m.request("PUT", `${base}/aliases/${encodeURIComponent(alias.trim())}`, { version: Number(version), force: force || undefined });
    if (r?.status === 202) m.setNotice(`Promotion of v${version} to '${alias}' is waiting for another operator's approval.`);
    else if (r?.body.status === "unchanged") m.setNotice(`'${alias}' already points to v${version}.`);
    else if (r) m.setNotice(`'${alias}' now points to v${version}.`);
  }

  async function rollback(name: string) {
    const r = await m.request("POST", `${base}/aliases/${encodeURIComponent(name)}/rollback`, {});
    if (r) m.setNotice(`'${name}' rolled back to v${String(r.body.version)}.`);
  }

  const pending = p.requests.filter((r) => r.status === "pending");
  const metricsOf = (v: number) => p.versions.find((x) => x.version === v)?.metrics ?? {};
  /** A version's metrics against the alias's current target's, when the alias points elsewhere. */
  const against = (v: number, aliasName: string) => {
    const target = p.aliases.find((a) => a.name === aliasName);
    return target && target.version !== v ? <MetricsAgainst mine={metricsOf(v)} theirs={metricsOf(target.version)} against={`${aliasName} (v${target.version})`} /> : null;
  };

  return (
    <div className="space-y-5">
      {p.aliases.length ? (
        <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
          {p.aliases.map((a) => (
            <li key={a.name} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
              <span className="flex items-center gap-2">
                <Badge tone={a.name === "production" ? "purple" : "blue"}>{a.name}</Badge>→ v{a.version}
              </span>
              {p.canEdit ? (
                <Button
                  variant="secondary"
                  size="sm"
                  disabled={m.pending || a.rollbackTo === null}
                  onClick={() => rollback(a.name)}
                  title={a.rollbackTo === null ? `'${a.name}' has not moved since it was first promoted: there is no earlier version to go back to` : `Move ${a.name} back to v${a.rollbackTo}, where it pointed before its latest move`}
                >
                  {a.rollbackTo === null ? "Roll back" : `Roll back to v${a.rollbackTo}`}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-500">No aliases yet. Promote a ready version to give it a stable name such as “production”.</p>
      )}

      {p.canEdit ? (
        <div className="flex flex-wrap items-end gap-3">
          <label className="text-sm">
            <span className="block font-medium text-slate-700">Version</span>
            <Select className="mt-1 w-28" value={version} onChange={(e) => setVersion(e.target.value)} aria-label="Version">
              {ready.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                </option>
              ))}
            </Select>
          </label>
          <label className="text-sm">
            <span className="block font-medium text-slate-700">Alias</span>
            <Input className="mt-1 w-40" value={alias} onChange={(e) => setAlias(e.target.value)} list="alias-suggestions" aria-label="Alias" />
            <datalist id="alias-suggestions">
              <option value="production" />
              <option value="staging" />
              <option value="candidate" />
            </datalist>
          </label>
          <label className="flex items-center gap-1.5 pb-2 text-xs text-slate-600">
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> force (incompatible signature)
          </label>
          <Button onClick={promote} disabled={m.pending || !version || !alias.trim()}>
            Promote
          </Button>
          {version ? <div className="basis-full">{against(Number(version), alias.trim())}</div> : null}
        </div>
      ) : null}
      {m.error ? <Alert>{m.error}</Alert> : null}
      {m.notice ? <Alert tone="success">{m.notice}</Alert> : null}

      {pending.length ? (
        <div>
          <h3 className="mb-2 text-sm font-semibold text-slate-900">Waiting for approval</h3>
          <ul className="space-y-2">
            {pending.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm ring-1 ring-amber-200">
                <span>
                  v{r.version} → <Badge tone="purple">{r.alias}</Badge> requested by {r.requestedBy ?? "unknown"} · {formatDateTime(r.createdAt)}
                  {against(r.version, r.alias)}
                </span>
                {p.canEdit && r.requestedBy !== p.currentUserLabel ? (
                  <span className="flex gap-2">
                    <Button size="sm" disabled={m.pending} onClick={() => m.send("POST", `${base}/promotions/${r.id}/approve`, {})}>Approve</Button>
                    <Button size="sm" variant="secondary" disabled={m.pending} onClick={() => m.send("POST", `${base}/promotions/${r.id}/reject`, {})}>Reject</Button>
                  </span>
                ) : (
                  <span className="text-xs text-amber-800">another operator must approve</span>
                )}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

    </div>
  );
}
