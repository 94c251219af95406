/** The reference dataset's summary: rows, and per feature min/mean/max/std with a small inline-SVG histogram. */
import { Table, Td, Th, Tr } from "@/components/ui/table";
import type { RegistryReferenceSummary, RegistryFeatureSummary } from "@/lib/registry/summarize-reference-table";

const num = (x: number | null) => (x === null ? "—" : Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : Number(x.toFixed(3)).toString());

function Histogram({ f }: { f: RegistryFeatureSummary }) {
  const counts = f.histogram.counts;
  if (!counts.length) return null;
  const label = (i: number) =>
    "edges" in f.histogram ? `${num(f.histogram.edges[i])} – ${num(f.histogram.edges[i + 1])}` : f.histogram.categories[i];
  const max = Math.max(1, ...counts);
  const w = 120, h = 28, bw = w / counts.length;
  return (
    <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`histogram of ${f.name}`}>
      {counts.map((c, i) => {
        const bh = (c / max) * (h - 2);
        return (
          <rect key={i} x={i * bw + 0.5} y={h - bh} width={Math.max(1, bw - 1)} height={bh} className={f.kind === "numeric" ? "fill-brand-500" : "fill-violet-400"}>
            <title>{`${label(i)}: ${c}`}</title>
          </rect>
        );
      })}
      <line x1={0} x2={w} y1={h - 0.5} y2={h - 0.5} className="stroke-slate-300" />
    </svg>
  );
}

export function ReferenceSummaryView({ summary }: { summary: RegistryReferenceSummary }) {
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">
        {summary.rows.toLocaleString("en")} rows · {summary.features.length} features
      </p>
      <Table>
        <thead>
          <tr>
            <Th>Feature</Th>
            <Th>Input</Th>
            <Th>Kind</Th>
            <Th className="text-right">Min</Th>
            <Th className="text-right">Mean</Th>
            <Th className="text-right">Max</Th>
            <Th className="text-right">Std</Th>
            <Th className="text-right">Missing</Th>
            <Th>Distribution</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {summary.features.map((f) => (
            <Tr key={f.name}>
              <Td className="font-mono text-xs">{f.name}</Td>
              <Td className="font-mono text-xs">{f.input}{f.input !== f.name ? `[${f.index}]` : ""}</Td>
              <Td className="text-xs">{f.kind}</Td>
              <Td className="text-right tabular-nums">{num(f.min)}</Td>
              <Td className="text-right tabular-nums">{num(f.mean)}</Td>
              <Td className="text-right tabular-nums">{num(f.max)}</Td>
              <Td className="text-right tabular-nums">{num(f.std)}</Td>
              <Td className="text-right tabular-nums">{f.missing}</Td>
              <Td><Histogram f={f} /></Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
