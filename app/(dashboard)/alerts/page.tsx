import Link from "next/link";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { getDb } from "@/lib/db/client";
import { alertListQuery } from "@/lib/alerts/api-schemas";
import { alertPageOptions } from "@/lib/alerts/alert-page-options";
import { listAlerts } from "@/lib/alerts/list-alerts";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { buttonClass } from "@/components/ui/button";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { AlertSeverityBadge, AlertStatusBadge } from "@/components/alerts/alert-badges";
import { AlertFilters } from "@/components/alerts/alert-filters";
import { SIGNAL_LABELS, formatAlertValue } from "@/components/alerts/format-alert-value";

export const dynamic = "force-dynamic";
export const metadata = { title: "Alerts" };

type Search = Record<string, string | string[] | undefined>;

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageUser();
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === "string" && v !== ""));
  // Unknown filter values are dropped rather than failing the page.
  const parsed = alertListQuery.safeParse(raw);
  const q = parsed.success ? parsed.data : alertListQuery.parse({});
  const { page, pageSize, ...filters } = q;
  const db = await getDb();
  const [{ alerts, total }, options] = await Promise.all([listAlerts({ db, filters, page, pageSize }), alertPageOptions(db)]);
  const filtered = Object.values(filters).some(Boolean);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const pageHref = (p: number) => `/alerts?${new URLSearchParams({ ...(raw as Record<string, string>), page: String(p) })}`;

  return (
    <>
      <PageHeader
        title="Alerts"
        description="Drift, data quality, error-rate and latency alerts across endpoints. Acknowledge what you are working on, mute what you expect, resolve what is fixed."
      />
      {!total && !filtered ? (
        <EmptyState
          title="No alerts"
          description="No alerts. Ferry raises alerts when drift, error rate or latency cross their thresholds, one per endpoint, signal and feature; they show up here with a link to the chart as it fired."
        />
      ) : (
        <>
          <AlertFilters values={filters} endpoints={options.endpoints} />
          <Card>
            {alerts.length ? (
              <Table aria-label="Alerts">
                <thead>
                  <tr>
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
                  {alerts.map((a) => (
                    <Tr key={a.id}>
                      <Td><AlertSeverityBadge severity={a.severity} /></Td>
                      <Td><AlertStatusBadge status={a.status} /></Td>
                      <Td className="min-w-48 max-w-xs whitespace-normal!">
                        <Link href={`/alerts/${a.id}`} className="font-medium text-brand-700 hover:underline">{a.title}</Link>
                      </Td>
                      <Td>{a.endpoint ? <Link className="hover:underline" href={`/endpoints/${a.endpoint.name}`}>{a.endpoint.name}</Link> : "—"}</Td>
                      <Td>
                        {SIGNAL_LABELS[a.signal] ?? a.signal}
                        {a.feature ? <div className="font-mono text-xs text-slate-500">{a.feature}</div> : null}
                      </Td>
                      <Td className="tabular-nums">
                        {formatAlertValue(a.signal, a.value)} <span className="text-slate-400">/ {formatAlertValue(a.signal, a.threshold)}</span>
                      </Td>
                      <Td>
                        <div title={formatDateTime(a.firedAt)}>{formatRelative(a.firedAt)}</div>
                        <div className="text-xs text-slate-500" title={formatDateTime(a.lastFiredAt)}>
                          last {formatRelative(a.lastFiredAt)}{a.fireCount > 1 ? ` · ×${a.fireCount}` : ""}
                        </div>
                      </Td>
                      <Td>{a.assignee ? (a.assignee.name ?? a.assignee.email) : <span className="text-slate-400">—</span>}</Td>
                    </Tr>
                  ))}
                </tbody>
              </Table>
            ) : (
              <p className="px-5 py-8 text-center text-sm text-slate-500">No alert matches these filters.</p>
            )}
          </Card>
          {pages > 1 ? (
            <nav className="mt-4 flex items-center justify-between text-sm text-slate-500" aria-label="Pages">
              <span>{total} alerts · page {page} of {pages}</span>
              <span className="flex gap-2">
                {page > 1 ? <Link className={buttonClass("secondary", "sm")} href={pageHref(page - 1)}>Previous</Link> : null}
                {page < pages ? <Link className={buttonClass("secondary", "sm")} href={pageHref(page + 1)}>Next</Link> : null}
              </span>
            </nav>
          ) : null}
        </>
      )}
    </>
  );
}
