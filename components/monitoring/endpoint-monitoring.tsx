"use client";
/**
 * An endpoint's live monitoring: range picker, stat cards and three charts (throughput, error rate, latency
 * percentiles), one line per served version. Short ranges poll every 10 s through React Query.
 */
import { useMemo, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { EndpointMetrics } from "@/lib/metrics/query-endpoint-metrics";
import { prepareRange, refreshIntervalMs, formatStep, type RangeChoice } from "@/lib/metrics/prepare-range";
import { prepareTimeSeries, PERCENTILES, type Percentile } from "@/lib/metrics/prepare-time-series";
import { formatCount, formatErrorRate, formatLatency, formatRate } from "@/lib/metrics/prepare-units";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Stat } from "@/components/ui/stat";
import { Alert } from "@/components/ui/form";
import { RangePicker, type CustomRange } from "./range-picker";

async function fetchMetrics(endpoint: string, range: RangeChoice, custom: CustomRange): Promise<EndpointMetrics> {
  const r = prepareRange({ range, from: custom.from, to: custom.to });
  const qs = new URLSearchParams({ from: r.from.toISOString(), to: r.to.toISOString(), step: String(r.step) });
  const res = await fetch(`/api/endpoints/${encodeURIComponent(endpoint)}/metrics?${qs}`, { cache: "no-store" });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(typeof body.error === "string" ? body.error : `metrics request failed (${res.status})`);
  return body as EndpointMetrics;
}

export function EndpointMonitoring({ endpoint, initialRange = "1h" }: { endpoint: string; initialRange?: RangeChoice }) {
  const [range, setRange] = useState<RangeChoice>(initialRange);
  const [custom, setCustom] = useState<CustomRange>({});
  const [percentiles, setPercentiles] = useState<Percentile[]>(["p50", "p95", "p99"]);

  const query = useQuery({
    queryKey: ["endpoint-metrics", endpoint, range, custom.from?.getTime(), custom.to?.getTime()],
    queryFn: () => fetchMetrics(endpoint, range, custom),
    refetchInterval: refreshIntervalMs(range),
    placeholderData: keepPreviousData,
    enabled: range !== "custom" || Boolean(custom.from && custom.to),
  });
  const data = query.data;

  const charts = useMemo(
    () =>
      data && {
        throughput: prepareTimeSeries({ metrics: data, metric: "throughput" }),
        errorRate: prepareTimeSeries({ metrics: data, metric: "errorRate" }),
        latency: prepareTimeSeries({ metrics: data, metric: "latency", percentiles }),
      },
    [data, percentiles],
  );

  const togglePercentile = (p: Percentile) =>
    setPercentiles((cur) => (cur.includes(p) ? (cur.length > 1 ? cur.filter((x) => x !== p) : cur) : PERCENTILES.filter((x) => x === p || cur.includes(x))));

  const resolution = data ? `${formatStep(data.step)} buckets` : undefined;
  const live = refreshIntervalMs(range);

  return (
    <div className="space-y-4" data-testid="endpoint-monitoring" data-endpoint={endpoint}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <RangePicker range={range} custom={custom} onRange={setRange} onCustom={setCustom} />
        <div className="text-xs text-slate-500" aria-live="polite">
          {resolution}
          {live ? ` · refreshing every ${live / 1000} s` : ""}
          {query.isFetching ? " · updating…" : ""}
        </div>
      </div>
      {query.error ? <Alert>{(query.error as Error).message}</Alert> : null}
      {range === "custom" && !(custom.from && custom.to) ? <Alert tone="info">Pick a start and an end (UTC) for the custom range.</Alert> : null}

      <div className="grid grid-cols-2 gap-3 md:grid-cols-5" data-testid="monitoring-stats">
        <Stat label="Requests" value={data ? formatCount(data.totals.requests) : "—"} hint={data ? `${formatRate(data.totals.rps)} average` : undefined} />
        <Stat label="Error rate" value={data ? formatErrorRate(data.totals.errorRate) : "—"} hint={data ? `${formatCount(data.totals.errors)} errors` : undefined} />
        <Stat label="p50" value={data ? formatLatency(data.totals.p50) : "—"} hint="median latency" />
        <Stat label="p95" value={data ? formatLatency(data.totals.p95) : "—"} />
        <Stat label="p99" value={data ? formatLatency(data.totals.p99) : "—"} hint={data?.totals.meanMs != null ? `mean ${formatLatency(data.totals.meanMs)}` : undefined} />
      </div>

      {data && data.variants.length > 1 ? (
        <Card>
          <CardBody className="flex flex-wrap gap-x-6 gap-y-2 py-3 text-sm" data-testid="variant-totals">
            {data.variants.map((v) => (
              <div key={v.version} className="flex items-center gap-2">
                <span className="inline-block h-2.5 w-2.5 rounded-full" style={{ background: charts?.throughput.series.find((s) => s.version === v.version)?.color }} />
                <span className="font-medium text-slate-800">{v.label}</span>
                <span className="text-slate-500">
                  {formatCount(v.totals.requests)} req · {formatErrorRate(v.totals.errorRate)} errors · p95 {formatLatency(v.totals.p95)}
                </span>
              </div>
            ))}
          </CardBody>
        </Card>
      ) : null}

      <Card>
        <CardHeader title="Throughput" description="Requests per second per version" />
        <CardBody>{charts ? <TimeSeriesChart chart={charts.throughput} testId="chart-throughput" /> : <ChartSkeleton testId="chart-throughput" loading={query.isLoading} />}</CardBody>
      </Card>
      <Card>
        <CardHeader title="Error rate" description="Share of requests answered with an error" />
        <CardBody>{charts ? <TimeSeriesChart chart={charts.errorRate} testId="chart-error-rate" /> : <ChartSkeleton testId="chart-error-rate" loading={query.isLoading} />}</CardBody>
      </Card>
      <Card>
        <CardHeader
          title="Latency"
          description="Percentiles from merged histograms; dotted p50, solid p95, dashed p99"
          actions={
            <div className="flex gap-1" role="group" aria-label="Percentiles">
              {PERCENTILES.map((p) => (
                <button
                  key={p}
                  type="button"
                  aria-pressed={percentiles.includes(p)}
                  onClick={() => togglePercentile(p)}
                  className={`rounded px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${percentiles.includes(p) ? "bg-brand-50 text-brand-700 ring-brand-200" : "text-slate-500 ring-slate-200 hover:bg-slate-50"}`}
                >
                  {p}
                </button>
              ))}
            </div>
          }
        />
        <CardBody>{charts ? <TimeSeriesChart chart={charts.latency} testId="chart-latency" /> : <ChartSkeleton testId="chart-latency" loading={query.isLoading} />}</CardBody>
      </Card>
    </div>
  );
}

function ChartSkeleton({ testId, loading }: { testId: string; loading: boolean }) {
  return (
    <div data-testid={testId} data-loading={loading ? "true" : undefined} style={{ height: 240 }} className="flex animate-pulse items-center justify-center rounded-md bg-slate-50 text-sm text-slate-400">
      {loading ? "Loading…" : "No data"}
    </div>
  );
}
