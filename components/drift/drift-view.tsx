"use client";
/**
 * The endpoint's drift page body: verdict banner, per-feature table, the selected feature's score over time and
 * histogram, data-quality rates, and "Evaluate now" for operators. Polls the API with React Query; evaluating
 * invalidates the report and history queries.
 */
import { useMemo, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/form";
import { Stat } from "@/components/ui/stat";
import { formatDateTime, formatPercent } from "@/components/ui/format";
import { cn } from "@/components/ui/cn";
import type { DriftReportView } from "@/lib/drift/get-drift-report";
import type { DriftHistory } from "@/lib/drift/query-drift-history";
import { DriftFeatureTable } from "./drift-feature-table";
import { DriftHistogramChart, DriftHistoryChart } from "./drift-charts";
import { driftSample, driftVerdict, methodLabel, prepareDriftHistory, prepareDriftTable, prepareHistogram } from "./prepare-drift-view";

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(typeof body.error === "string" ? body.error : `request failed (${res.status})`);
  return body as T;
}

const BANNER = { gray: "bg-slate-50 ring-slate-200 text-slate-700", green: "bg-emerald-50 ring-emerald-200 text-emerald-900", yellow: "bg-amber-50 ring-amber-200 text-amber-900", red: "bg-red-50 ring-red-200 text-red-900" };

export function DriftView({ endpoint, initial, canEvaluate }: { endpoint: string; initial: DriftReportView; canEvaluate: boolean }) {
  const base = `/api/endpoints/${encodeURIComponent(endpoint)}/drift`;
  const client = useQueryClient();
  const report = useQuery({ queryKey: ["drift", endpoint], queryFn: () => getJson<DriftReportView>(base), initialData: initial, refetchInterval: 60_000 }).data;
  const rows = useMemo(() => prepareDriftTable([...report.features, ...report.predictions]), [report]);
  const [picked, setPicked] = useState<string | null>(null);
  const selected = picked ?? rows[0]?.name ?? null;
  const selectedRow = rows.find((r) => r.name === selected);

  const history = useQuery({
    queryKey: ["drift-history", endpoint, selected],
    queryFn: () => getJson<DriftHistory>(`${base}/history?feature=${encodeURIComponent(selected!)}`),
    enabled: selected !== null,
    refetchInterval: 60_000,
  });
  const evaluate = useMutation({
    mutationFn: () => getJson<DriftReportView>(`${base}/evaluate`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
    onSuccess: (r) => {
      client.setQueryData(["drift", endpoint], r);
      void client.invalidateQueries({ queryKey: ["drift-history", endpoint] });
    },
  });

  const verdict = driftVerdict(report);
  const sample = driftSample(report);
  const preparedHistory = prepareDriftHistory(history.data?.points ?? [], selectedRow?.method ?? null);
  const histogram = prepareHistogram(report.histograms.find((h) => h.feature === selected));

  return (
    <div className="space-y-6">
      <div data-testid="drift-verdict" data-dataset-drift={String(report.datasetDrift)} className={cn("flex flex-wrap items-center justify-between gap-4 rounded-lg px-5 py-4 ring-1", BANNER[verdict.tone])}>
        <div>
          <div className="text-lg font-semibold">{verdict.title}</div>
          <div className="text-sm opacity-80">
            {verdict.detail} v{report.version ?? "—"} · {sample.text} · {formatDateTime(report.window.from)} – {formatDateTime(report.window.to)} ·
            reference: {report.reference.kind === "window" ? `traffic ${formatDateTime(report.reference.from)} – ${formatDateTime(report.reference.to)}` : report.reference.kind === "dataset" ? `dataset (${report.reference.rows.toLocaleString("en")} rows)` : "none"}
            {report.id ? ` · stored ${formatDateTime(report.createdAt)}` : " · computed now"}
          </div>
        </div>
        {canEvaluate ? (
          <Button data-testid="drift-evaluate" onClick={() => evaluate.mutate()} disabled={evaluate.isPending}>
            {evaluate.isPending ? "Evaluating…" : "Evaluate now"}
          </Button>
        ) : null}
      </div>
      {evaluate.error ? <Alert tone="error">{(evaluate.error as Error).message}</Alert> : null}
      {report.notes.length ? (
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-600">{report.notes.map((n) => <li key={n}>{n}</li>)}</ul>
      ) : null}

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3" data-testid="drift-quality">
        <Stat label="Rows sketched in window" value={report.rows.toLocaleString("en")} hint={sample.hint} />
        <Stat label="Missing values" value={formatPercent(report.quality.missingRate)} hint={`${report.quality.missing.toLocaleString("en")} of ${report.quality.cells.toLocaleString("en")} values`} />
        <Stat label="Out of reference range" value={formatPercent(report.quality.outOfRangeRate)} hint={`${report.quality.outOfRange.toLocaleString("en")} numeric values`} />
      </div>

      <Card>
        <CardHeader title="Features" description="Sorted by severity: how far each feature's score is past its threshold. Click a feature for its charts." />
        {rows.length ? <DriftFeatureTable rows={rows} selected={selected} onSelect={setPicked} /> : <CardBody className="text-sm text-slate-500">No features to show.</CardBody>}
      </Card>

      {selectedRow ? (
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
          <Card>
            <CardHeader title={`${selectedRow.name}: ${methodLabel(selectedRow.method)} over time`} description="One point per stored report, last 24 hours; the dashed line is the threshold." />
            <CardBody><DriftHistoryChart history={preparedHistory} /></CardBody>
          </Card>
          <Card>
            <CardHeader title={`${selectedRow.name}: reference vs current`} description="Share of values per drift bin (reference quantiles, plus values outside the reference range)." />
            <CardBody><DriftHistogramChart histogram={histogram} /></CardBody>
          </Card>
        </div>
      ) : null}
    </div>
  );
}
