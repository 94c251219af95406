import Link from "next/link";
import { redirect } from "next/navigation";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { getDb } from "@/lib/db/client";
import { queryMonitoredEndpoints } from "@/lib/metrics/query-monitored-endpoints";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const dynamic = "force-dynamic";
export const metadata = { title: "Monitoring" };

export default async function MonitoringPage() {
  await requirePageUser();
  const endpoints = await queryMonitoredEndpoints({ db: await getDb() });
  if (endpoints.length) redirect(`/monitoring/${encodeURIComponent(endpoints[0].name)}`);
  return (
    <>
      <PageHeader title="Monitoring" description="Throughput, errors and latency of every endpoint, per version." />
      <EmptyState
        title="No endpoints to monitor yet"
        description={
          <>
            Charts appear once an endpoint serves traffic. Upload a model, then create an endpoint that routes to its
            versions — from the <Link className="text-brand-700 hover:underline" href="/endpoints">Endpoints</Link> page, or with
            <pre className="mt-3 overflow-x-auto rounded-md bg-slate-900 p-3 text-left text-xs text-slate-100">
              {`curl -X PUT -H "Authorization: Bearer $FERRY_TOKEN" -H "content-type: application/json" \\
  -d '{"model":"fraud","variants":[{"name":"stable","alias":"production","weight":100}]}' \\
  $FERRY_URL/api/endpoints/fraud`}
            </pre>
          </>
        }
        action={<Link href="/models" className="text-sm font-medium text-brand-700 hover:underline">Go to models →</Link>}
      />
    </>
  );
}
