import Link from "next/link";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { roleAtLeast } from "@/lib/auth/roles";
import { config, dashboardUrl } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { checkHealth } from "@/lib/health/check-health";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { formatMs } from "@/components/ui/format";
import { FleetOverview } from "@/components/monitoring/fleet-overview";
import { queryFleetOverview } from "@/lib/metrics/query-fleet-overview";

export const dynamic = "force-dynamic";
export const metadata = { title: "Overview" };

function StatLink({ href, label, value, hint, tone }: { href: string; label: string; value: number; hint: string; tone?: "red" }) {
  return (
    <Link href={href} className="group rounded-lg bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200 transition hover:ring-brand-500/40">
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</div>
      <div className={`mt-1 text-2xl font-semibold tabular-nums ${tone === "red" && value > 0 ? "text-red-600" : "text-slate-900"}`}>{value}</div>
      <div className="mt-0.5 text-xs text-slate-500 group-hover:text-brand-700">{hint} →</div>
    </Link>
  );
}

function Step({ n, done, title, children }: { n: number; done: boolean; title: string; children: React.ReactNode }) {
  return (
    <li className="flex gap-4">
      <span className={`grid h-7 w-7 shrink-0 place-items-center rounded-full text-xs font-semibold ring-1 ${done ? "bg-emerald-50 text-emerald-700 ring-emerald-600/20" : "bg-white text-slate-600 ring-slate-300"}`}>
        {done ? "✓" : n}
      </span>
      <div className="min-w-0 flex-1 pb-6">
        <div className={`text-sm font-medium ${done ? "text-slate-500 line-through" : "text-slate-900"}`}>{title}</div>
        <div className="mt-1 text-sm text-slate-500">{children}</div>
      </div>
    </li>
  );
}

export default async function OverviewPage() {
  const user = await requirePageUser();
  const db = await getDb();
  const c = config();
  const [models, versions, endpoints, openAlerts, mine, health] = await Promise.all([
    db.model.count(),
    db.modelVersion.count({ where: { status: "ready" } }),
    db.endpoint.count(),
    db.alert.count({ where: { status: "open" } }),
    // Assigned to whoever is looking and not resolved (acknowledged and muted ones are still theirs to finish).
    db.alert.count({ where: { assigneeId: user.id, status: { not: "resolved" } } }),
    checkHealth({ getDb, embedded: c.embedded, inferenceUrl: c.inferenceUrl }),
  ]);
  const dp = health.dataPlane;
  const dpTone = dp.ok && dp.ready ? "green" : dp.ok ? "yellow" : "red";
  const dpText = dp.ok && dp.ready ? "ready" : dp.ok ? "starting" : "unreachable";
  const dashboard = dashboardUrl(c);
  const canOperate = roleAtLeast(user.role, "operator");

  return (
    <>
      <PageHeader title="Overview" description={`Signed in as ${user.email}. Ferry carries ONNX models from upload to production traffic.`} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatLink href="/models" label="Models" value={models} hint={`${versions} ready version${versions === 1 ? "" : "s"}`} />
        <StatLink href="/endpoints" label="Endpoints" value={endpoints} hint="routing and traffic" />
        <StatLink
          href={mine ? "/alerts?assignee=me" : "/alerts"}
          label="Open alerts"
          value={openAlerts}
          hint={mine ? `${mine} assigned to you` : "review"}
          tone="red"
        />
        <div className="rounded-lg bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200">
          <div className="text-xs font-medium uppercase tracking-wide text-slate-500">Data plane</div>
          <div className="mt-1.5 flex items-center gap-2">
            <Badge tone={dpTone}>{dpText}</Badge>
          </div>
          <div className="mt-1.5 truncate font-mono text-xs text-slate-500" title={dp.url}>{dp.url}</div>
          {c.grpcPort === undefined ? null : (
            <div className="truncate text-xs text-slate-500" title="the same protocol over gRPC (FERRY_GRPC_PORT)">gRPC on port {c.grpcPort}</div>
          )}
          <div className="text-xs text-slate-500">
            database {health.database.ok ? `ok · ${formatMs(health.database.latencyMs)}` : "unreachable"}{health.database.embedded ? " · embedded" : ""}
          </div>
        </div>
      </div>

      {models === 0 || endpoints === 0 ? (
        <Card className="mt-8">
          <CardHeader title="Getting started" description="Three steps from a trained model to live traffic." />
          <CardBody>
            <ol className="mt-1">
              <Step n={1} done={models > 0} title="Upload a model">
                Drop an <code>.onnx</code> file on the{" "}
                <Link className="text-brand-700 hover:underline" href="/models/new">new model page</Link>, or push one from CI with{" "}
                <code className="rounded bg-slate-100 px-1 py-0.5 text-xs">ferry upload model.onnx --model fraud</code>. Ferry validates it and records its signature.
              </Step>
              <Step n={2} done={endpoints > 0} title="Create an endpoint">
                An endpoint serves a model alias or version on the data plane, with A/B weights, header rules and shadow traffic.
                {" "}<Link className="text-brand-700 hover:underline" href="/endpoints">Go to Endpoints</Link>.
              </Step>
              <Step n={3} done={false} title="Send traffic">
                Call it with any KServe V2 / Open Inference Protocol client, using an API token with the <code>infer</code> scope
                {roleAtLeast(user.role, "admin") ? <> (<Link className="text-brand-700 hover:underline" href="/settings">create one in Settings</Link>)</> : null}:
                <pre className="mt-2 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">{`curl -X POST ${dp.url}/v2/models/<endpoint>/infer \\
  -H "Authorization: Bearer $FERRY_TOKEN" -H "content-type: application/json" \\
  -d '{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"data":[0.1,0.2,0.3,0.4]}]}'`}</pre>
              </Step>
            </ol>
            {canOperate && models === 0 ? <Link href="/models/new" className={buttonClass()}>Upload a model</Link> : null}
          </CardBody>
        </Card>
      ) : (
        <>
        <div className="mt-8">
          <FleetOverview initial={await queryFleetOverview({ db })} />
        </div>
        <div className="mt-8 grid grid-cols-1 gap-4 md:grid-cols-3">
          {[
            { href: "/monitoring", title: "Monitoring", text: "Latency, errors and drift per endpoint and variant." },
            { href: "/audit", title: "Audit", text: "Who promoted, routed or changed what, and when." },
            { href: "/api-reference", title: "API reference", text: `Every route of ${dashboard}/api and the inference protocol, with openapi.json.` },
          ].map((l) => (
            <Link key={l.href} href={l.href} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 transition hover:ring-brand-500/40">
              <div className="text-sm font-semibold text-slate-900">{l.title}</div>
              <div className="mt-1 text-sm text-slate-500">{l.text}</div>
            </Link>
          ))}
        </div>
        </>
      )}
    </>
  );
}
