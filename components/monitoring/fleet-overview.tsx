"use client";
/** Every endpoint at a glance: status, last hour's traffic, error rate, p95 with a sparkline, open alerts. */
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { FleetOverview as FleetOverviewData } from "@/lib/metrics/query-fleet-overview";
import { ENDPOINT_STATUS_LABELS, type EndpointStatus } from "@/lib/metrics/prepare-endpoint-status";
import { prepareSparkline, versionColor } from "@/lib/metrics/prepare-time-series";
import { formatCount, formatErrorRate, formatLatency, formatRate } from "@/lib/metrics/prepare-units";
import { Sparkline } from "@/components/charts/sparkline";
import { Badge, type Tone } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { Alert } from "@/components/ui/form";

const STATUS_TONE: Record<EndpointStatus, Tone> = { ready: "green", degraded: "yellow", failed: "red", loading: "blue", not_serving: "gray" };

async function fetchFleet(): Promise<FleetOverviewData> {
  const res = await fetch("/api/fleet", { cache: "no-store" });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(typeof body.error === "string" ? body.error : `fleet request failed (${res.status})`);
  return body as FleetOverviewData;
}

export function FleetOverview({ initial }: { initial?: FleetOverviewData }) {
  const query = useQuery({ queryKey: ["fleet"], queryFn: fetchFleet, initialData: initial, refetchInterval: 15_000 });
  const data = query.data;

  if (data && !data.endpoints.length) {
    return (
      <EmptyState
        title="No endpoints yet"
        description="An endpoint serves a model over the Open Inference Protocol and splits traffic between its versions. Create one from a model's page, then its traffic shows up here."
        action={<Link href="/endpoints" className="text-sm font-medium text-brand-700 hover:underline">Go to endpoints →</Link>}
      />
    );
  }

  return (
    <Card data-testid="fleet-overview">
      <CardHeader title="Fleet" description="Last hour, all versions together · refreshes every 15 s" />
      {query.error ? <div className="px-5 pt-3"><Alert>{(query.error as Error).message}</Alert></div> : null}
      <Table>
        <thead>
          <tr>
            <Th>Endpoint</Th>
            <Th>Status</Th>
            <Th className="text-right">Requests</Th>
            <Th className="text-right">Error rate</Th>
            <Th className="text-right">p95</Th>
            <Th>p95, last hour</Th>
            <Th className="text-right">Open alerts</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {(data?.endpoints ?? []).map((e) => {
            const axis = { from: Date.parse(data!.from), to: Date.parse(data!.to), step: data!.step };
            const spark = prepareSparkline(e.sparkline, (p) => p.p95, axis);
            const versions = e.versions.map((v) => `v${v.version} ${v.state}`).join(", ");
            return (
              <Tr key={e.name} data-testid={`fleet-row-${e.name}`}>
                <Td>
                  <Link href={`/monitoring/${encodeURIComponent(e.name)}`} className="font-medium text-brand-700 hover:underline">{e.name}</Link>
                  <div className="text-xs text-slate-500">{e.model}</div>
                </Td>
                <Td>
                  <Badge tone={STATUS_TONE[e.status]} title={versions || "no data-plane instance reports this endpoint"} data-status={e.status}>
                    {ENDPOINT_STATUS_LABELS[e.status]}
                  </Badge>
                </Td>
                <Td className="text-right tabular-nums">
                  {formatCount(e.requests)}
                  <div className="text-xs text-slate-500">{formatRate(e.rps)}</div>
                </Td>
                <Td className={`text-right tabular-nums ${e.errorRate != null && e.errorRate >= 0.05 ? "font-medium text-red-700" : ""}`}>{formatErrorRate(e.errorRate)}</Td>
                <Td className="text-right tabular-nums">{formatLatency(e.p95)}</Td>
                <Td>
                  <Sparkline points={spark} color={versionColor(1)} testId={`sparkline-${e.name}`} label={`p95 latency of ${e.name} over the last hour`} />
                </Td>
                <Td className="text-right">
                  {e.openAlerts ? (
                    <Link href={`/alerts?endpoint=${encodeURIComponent(e.name)}`}>
                      <Badge tone={e.criticalAlerts ? "red" : "yellow"}>{e.openAlerts}</Badge>
                    </Link>
                  ) : (
                    <span className="text-slate-400">0</span>
                  )}
                </Td>
              </Tr>
            );
          })}
        </tbody>
      </Table>
      {!data ? <div className="px-5 py-6 text-sm text-slate-500">{query.isLoading ? "Loading…" : null}</div> : null}
    </Card>
  );
}
