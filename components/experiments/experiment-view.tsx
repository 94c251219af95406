"use client";
/**
 * Variants side by side with the sequential test's verdict, refreshed every 5 s. The verdict stays honest while the
 * page refreshes: the test is always valid (lib/experiments/msprt.ts).
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Bar, BarChart, Tooltip, XAxis } from "recharts";
import type { Experiment } from "@/lib/experiments/get-experiment";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/form";
import { formatLatencies, formatPercent } from "@/components/ui/format";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { describeTest, prepareOutputBars } from "./prepare-experiment";

export interface ExperimentViewProps {
  endpointName: string;
  /** Window length ending now; default 60 minutes. */
  windowMinutes?: number;
  initial?: Experiment;
}

async function fetchExperiment(endpointName: string, windowMinutes: number): Promise<Experiment> {
  const to = Date.now();
  const from = to - windowMinutes * 60_000;
  const res = await fetch(`/api/endpoints/${encodeURIComponent(endpointName)}/experiment?from=${from}&to=${to}`, { cache: "no-store" });
  if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error ?? `HTTP ${res.status}`);
  return res.json();
}

function OutputBars({ counts }: { counts: { label: string; count: number }[] | undefined }) {
  const bars = prepareOutputBars(counts);
  if (!bars.length) return <span className="text-xs text-slate-400">—</span>;
  return (
    <div role="img" aria-label={`output classes: ${bars.map((b) => `${b.label} ${Math.round(b.share * 100)} %`).join(", ")}`}>
      <BarChart width={84} height={36} data={bars} margin={{ top: 2, right: 0, bottom: 0, left: 0 }}>
        <XAxis dataKey="label" hide />
        <Tooltip formatter={(v) => formatPercent(Number(v))} />
        <Bar dataKey="share" fill="#0072B2" isAnimationActive={false} />
      </BarChart>
    </div>
  );
}

export function ExperimentView({ endpointName, windowMinutes = 60, initial }: ExperimentViewProps) {
  const query = useQuery({
    queryKey: ["experiment", endpointName, windowMinutes],
    queryFn: () => fetchExperiment(endpointName, windowMinutes),
    initialData: initial,
    refetchInterval: 5_000,
    placeholderData: keepPreviousData,
  });
  const data = query.data;
  const verdict = describeTest(data?.test ?? null);
  // Columns no version has data for are left out: the card is narrow, and a column of dashes would push the others
  // behind a horizontal scroll.
  const showShadow = data?.versions.some((v) => v.shadow) ?? false;
  const showQuality = data?.versions.some((v) => v.quality) ?? false;
  return (
    <Card data-testid="experiment-view">
      <CardHeader title="Experiment" description={`Last ${windowMinutes} minutes, refreshed every 5 s`} />
      <CardBody className="space-y-4">
        {query.error && <Alert>{`Could not load the experiment: ${(query.error as Error).message}`}</Alert>}
        {verdict ? (
          <div data-testid="experiment-verdict" className="flex flex-wrap items-center gap-3">
            <Badge tone={verdict.tone}>{data!.test!.verdict}</Badge>
            <span className="font-medium text-slate-900">{verdict.headline}</span>
            <span className="text-sm text-slate-500">{verdict.detail}</span>
          </div>
        ) : (
          data && <p className="text-sm text-slate-500">Route traffic to two versions to compare them.</p>
        )}
        {data && (
          <Table>
            <thead>
              <tr>
                <Th>Version</Th>
                <Th className="text-right">Requests</Th>
                <Th className="text-right">Error rate</Th>
                <Th className="text-right">p50 / p95 / p99</Th>
                <Th>Outputs</Th>
                {showShadow && <Th className="text-right">Shadow agreement</Th>}
                {showQuality && <Th className="text-right">Accuracy / MAE</Th>}
              </tr>
            </thead>
            <tbody>
              {data.versions.map((v) => (
                <Tr key={v.version} data-testid={`experiment-variant-${v.version}`}>
                  <Td>
                    <span className="font-medium">{`v${v.version}`}</span> {v.arm && <Badge tone={v.arm === "B" ? "purple" : "gray"}>{v.arm}</Badge>}
                    <div className="text-xs text-slate-500">{v.variants.length ? `${v.variants.join(", ")} · ${formatPercent(v.share, 0)}` : "not routed"}</div>
                  </Td>
                  <Td className="text-right tabular-nums" data-testid={`experiment-requests-${v.version}`}>{v.requests.toLocaleString("en-US")}</Td>
                  <Td className="text-right tabular-nums">{formatPercent(v.errorRate, 2)}</Td>
                  <Td className="whitespace-nowrap text-right tabular-nums">{formatLatencies([v.p50Ms, v.p95Ms, v.p99Ms])}</Td>
                  <Td>
                    <OutputBars counts={v.outputs?.counts} />
                  </Td>
                  {showShadow && <Td className="text-right tabular-nums">{v.shadow ? `${formatPercent(v.shadow.agreement)} of ${v.shadow.count}` : "—"}</Td>}
                  {showQuality && (
                    <Td className="text-right tabular-nums">
                      {v.quality ? (v.quality.kind === "classification" ? `${formatPercent(v.quality.accuracy)} (n=${v.quality.n})` : `MAE ${v.quality.mae?.toFixed(3)} (n=${v.quality.n})`) : "—"}
                    </Td>
                  )}
                </Tr>
              ))}
            </tbody>
          </Table>
        )}
        {data?.test && (
          <dl className="grid grid-cols-2 gap-2 text-xs text-slate-500 md:grid-cols-4" data-testid="experiment-test-numbers">
            <div><dt>A ({data.test.armA.label})</dt><dd className="tabular-nums text-slate-800">{`${data.test.a.x} / ${data.test.a.n}`}</dd></div>
            <div><dt>B ({data.test.armB.label})</dt><dd className="tabular-nums text-slate-800">{`${data.test.b.x} / ${data.test.b.n}`}</dd></div>
            <div><dt>always-valid p-value</dt><dd className="tabular-nums text-slate-800">{data.test.pValue.toPrecision(3)}</dd></div>
            <div><dt>likelihood ratio (needs ≥ {Math.round(1 / data.test.alpha)})</dt><dd className="tabular-nums text-slate-800">{data.test.likelihoodRatio.toPrecision(3)}</dd></div>
          </dl>
        )}
      </CardBody>
    </Card>
  );
}
