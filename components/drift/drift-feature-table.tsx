"use client";
/**
 * The per-feature drift table, sorted by severity; clicking a row selects the feature for the charts. Each feature's
 * test shows its value over its method and threshold, so the table fits a 1280-px window without a horizontal scroll.
 */
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { cn } from "@/components/ui/cn";
import { methodLabel, type DriftTableRow } from "./prepare-drift-view";

export function DriftFeatureTable({ rows, selected, onSelect }: { rows: DriftTableRow[]; selected: string | null; onSelect: (name: string) => void }) {
  return (
    <Table data-testid="drift-table">
      <thead>
        <tr>
          <Th>Feature</Th><Th>Test</Th><Th>Drift</Th>
          <Th className="text-right">PSI</Th><Th className="text-right">KS</Th><Th className="text-right">Wasserstein</Th><Th className="text-right">JS</Th>
          <Th className="text-right">Missing</Th><Th className="text-right">Out of range</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr
            key={r.name}
            data-testid={`drift-row-${r.name}`}
            data-drifted={String(r.drifted)}
            aria-selected={selected === r.name}
            onClick={() => onSelect(r.name)}
            className={cn("cursor-pointer hover:bg-slate-50/60", selected === r.name && "bg-brand-50/60")}
          >
            <Td>
              <div className="font-medium text-slate-900">{r.name}</div>
              <div className="text-xs text-slate-500">{r.kind}</div>
            </Td>
            <Td>
              <div className="font-mono tabular-nums text-slate-900">{r.cells.value}</div>
              <div className="whitespace-nowrap text-xs text-slate-500">{`${methodLabel(r.method)} · ${r.cells.threshold}`}</div>
            </Td>
            <Td>{r.value == null ? <Badge>no data</Badge> : r.drifted ? <Badge tone="red">drifted</Badge> : <Badge tone="green">ok</Badge>}</Td>
            <Td className="text-right font-mono tabular-nums">{r.cells.psi}</Td>
            <Td className="text-right font-mono tabular-nums">
              {r.cells.ks}
              {r.cells.ksP && <div className="text-xs text-slate-500">{r.cells.ksP}</div>}
            </Td>
            <Td className="text-right font-mono tabular-nums">{r.cells.wasserstein}</Td>
            <Td className="text-right font-mono tabular-nums">{r.cells.js}</Td>
            <Td className="text-right tabular-nums">{r.cells.missing}</Td>
            <Td className="text-right tabular-nums">{r.cells.outOfRange}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
