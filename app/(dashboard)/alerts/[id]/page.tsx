import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { roleAtLeast } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { chartUrl } from "@/lib/alerts/alert-json";
import { alertPageOptions } from "@/lib/alerts/alert-page-options";
import { getAlert } from "@/lib/alerts/get-alert";
import { deliveryJson } from "@/lib/webhooks/webhook-json";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { AlertSeverityBadge, AlertStatusBadge } from "@/components/alerts/alert-badges";
import { AlertActions } from "@/components/alerts/alert-actions";
import { AlertComments } from "@/components/alerts/alert-comments";
import { AlertContext } from "@/components/alerts/alert-context";
import { DeliveriesTable } from "@/components/alerts/deliveries-table";
import { SIGNAL_LABELS, formatAlertValue } from "@/components/alerts/format-alert-value";

export const dynamic = "force-dynamic";
export const metadata = { title: "Alert" };

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-4 py-2">
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className="col-span-2 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

export default async function AlertPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser();
  const { id } = await params;
  const db = await getDb();
  const alert = await getAlert({ db, id }).catch((e) => {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  });
  const canReview = roleAtLeast(user.role, "operator");
  const { users } = canReview ? await alertPageOptions(db) : { users: [] };
  const chart = chartUrl(alert);
  const a = alert;

  return (
    <>
      <PageHeader
        breadcrumb={<Link href="/alerts" className="hover:underline">Alerts</Link>}
        title={a.title}
        description={a.message || undefined}
        actions={
          <span className="flex items-center gap-2">
            <AlertSeverityBadge severity={a.severity} />
            <AlertStatusBadge status={a.status} />
          </span>
        }
      />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-3">
        <div className="space-y-6 xl:col-span-2">
          <Card>
            <CardHeader
              title="Details"
              actions={chart ? <Link href={chart} className={buttonClass("secondary", "sm")}>View chart as it fired</Link> : null}
            />
            <CardBody>
              <dl className="divide-y divide-slate-100">
                <Row label="Endpoint">{a.endpoint ? <Link className="text-brand-700 hover:underline" href={`/endpoints/${a.endpoint.name}`}>{a.endpoint.name}</Link> : "—"}</Row>
                <Row label="Signal">
                  {SIGNAL_LABELS[a.signal] ?? a.signal}
                  {a.feature ? <span className="font-mono text-xs text-slate-500"> · {a.feature}</span> : null}
                </Row>
                <Row label="Value / threshold">
                  <span className="tabular-nums">{formatAlertValue(a.signal, a.value)}</span>
                  <span className="text-slate-400"> / {formatAlertValue(a.signal, a.threshold)}</span>
                </Row>
                <Row label="First fired">{formatDateTime(a.firedAt)}</Row>
                <Row label="Last fired">{formatDateTime(a.lastFiredAt)} ({formatRelative(a.lastFiredAt)}, {a.fireCount}× in all)</Row>
                {a.acknowledgedAt ? <Row label="Acknowledged">{formatDateTime(a.acknowledgedAt)}</Row> : null}
                {a.status === "muted" && a.mutedUntil ? <Row label="Muted until">{formatDateTime(a.mutedUntil)}</Row> : null}
                {a.resolvedAt ? <Row label="Resolved">{formatDateTime(a.resolvedAt)}</Row> : null}
                <Row label="Assignee">{a.assignee ? (a.assignee.name ?? a.assignee.email) : "Unassigned"}</Row>
              </dl>
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Comments" description="Notes for whoever looks at this alert next." />
            <CardBody>
              <AlertComments
                id={a.id}
                canComment={canReview}
                comments={a.comments.map((c) => ({
                  id: c.id,
                  body: c.body,
                  author: c.author ? (c.author.name ?? c.author.email) : null,
                  createdAt: c.createdAt.toISOString(),
                }))}
              />
            </CardBody>
          </Card>
        </div>
        <div className="space-y-6">
          {canReview ? (
            <Card>
              <CardHeader title="Review" />
              <CardBody>
                <AlertActions id={a.id} status={a.status} assigneeId={a.assigneeId} users={users} />
              </CardBody>
            </Card>
          ) : null}
          {a.context ? (
            <Card>
              <CardHeader title="Context" description="What the rule saw when it fired." />
              <CardBody>
                <AlertContext context={a.context} signal={a.signal} />
              </CardBody>
            </Card>
          ) : null}
        </div>
      </div>
      <Card className="mt-6">
        <CardHeader title="Notifications" description="Webhook deliveries for this alert." />
        <DeliveriesTable deliveries={a.deliveries.map(deliveryJson)} />
      </Card>
    </>
  );
}
