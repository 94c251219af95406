import Link from "next/link";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { getDb } from "@/lib/db/client";
import { alertListQuery } from "@/lib/alerts/api-schemas";
import { alertPageOptions } from "@/lib/alerts/alert-page-options";
import { assigneeFilter, listAlerts } from "@/lib/alerts/list-alerts";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClass } from "@/components/ui/button";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { AlertsTable, type AlertListItem } from "@/components/alerts/alerts-table";
import { roleAtLeast } from "@/lib/auth/roles";
import { AlertFilters } from "@/components/alerts/alert-filters";
import { SIGNAL_LABELS, formatAlertValue } from "@/components/alerts/format-alert-value";

export const dynamic = "force-dynamic";
export const metadata = { title: "Alerts" };

type Search = Record<string, string | string[] | undefined>;

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageUser();
  const canReview = roleAtLeast(user.role, "operator");
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === "string" && v !== ""));
  // Unknown filter values are dropped rather than failing the page.
  const parsed = alertListQuery.safeParse(raw);
  const q = parsed.success ? parsed.data : alertListQuery.parse({});
  const { page, pageSize, ...filters } = q;
  const db = await getDb();
  const [{ alerts, total }, options] = await Promise.all([listAlerts({ db, filters: { ...filters, assignee: assigneeFilter(filters.assignee, user.id) }, page, pageSize }), alertPageOptions(db)]);
  const filtered = Object.values(filters).some(Boolean);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const items: AlertListItem[] = alerts.map((a) => ({
    id: a.id,
    severity: a.severity,
    status: a.status,
    title: a.title,
    endpoint: a.endpoint?.name ?? null,
    signal: SIGNAL_LABELS[a.signal] ?? a.signal,
    feature: a.feature,
    value: formatAlertValue(a.signal, a.value),
    threshold: formatAlertValue(a.signal, a.threshold),
    fired: formatRelative(a.firedAt),
    firedTitle: formatDateTime(a.firedAt),
    last: `last ${formatRelative(a.lastFiredAt)}${a.fireCount > 1 ? ` · ×${a.fireCount}` : ""}`,
    lastTitle: formatDateTime(a.lastFiredAt),
    assignee: a.assignee ? (a.assignee.name ?? a.assignee.email) : null,
  }));
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
          <AlertFilters values={filters} endpoints={options.endpoints} users={options.users} />
          <Card>
            {alerts.length ? (
              <AlertsTable rows={items} canReview={canReview} users={canReview ? options.users : []} />
            ) : (
              <p className="px-5 py-8 text-center text-sm text-slate-500">
                {filters.assignee === "me" ? "No alert assigned to you matches these filters." : "No alert matches these filters."}
              </p>
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
