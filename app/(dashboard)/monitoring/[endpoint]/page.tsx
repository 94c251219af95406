import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { getDb } from "@/lib/db/client";
import { queryMonitoredEndpoints } from "@/lib/metrics/query-monitored-endpoints";
import { RANGE_PRESETS, type RangeChoice } from "@/lib/metrics/prepare-range";
import { PageHeader } from "@/components/ui/page-header";
import { EndpointMonitoring } from "@/components/monitoring/endpoint-monitoring";
import { EndpointSelector } from "@/components/monitoring/endpoint-selector";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ endpoint: string }> }) {
  return { title: `Monitoring · ${decodeURIComponent((await params).endpoint)}` };
}

export default async function EndpointMonitoringPage({ params, searchParams }: {
  params: Promise<{ endpoint: string }>;
  searchParams: Promise<{ range?: string }>;
}) {
  await requirePageUser();
  const name = decodeURIComponent((await params).endpoint);
  const { range } = await searchParams;
  const endpoints = await queryMonitoredEndpoints({ db: await getDb() });
  const current = endpoints.find((e) => e.name === name);
  if (!current) notFound();
  const initialRange: RangeChoice = (RANGE_PRESETS as readonly string[]).includes(range ?? "") ? (range as RangeChoice) : "1h";

  return (
    <>
      <PageHeader
        title={`Monitoring · ${current.name}`}
        breadcrumb={<><Link className="hover:underline" href="/monitoring">Monitoring</Link> / <Link className="hover:underline" href={`/endpoints/${encodeURIComponent(current.name)}`}>{current.name}</Link></>}
        description={`Model ${current.model}. Per-minute rollups from every data-plane instance, aggregated per version; times in UTC.`}
        actions={<EndpointSelector endpoints={endpoints} current={current.name} />}
      />
      <EndpointMonitoring key={current.name} endpoint={current.name} initialRange={initialRange} />
    </>
  );
}
