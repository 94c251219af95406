/**
 * A model signature as a table, an output's class labels under its name; with `differences`, rows that changed
 * against the compared version are highlighted.
 */
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import type { ModelSignature } from "@/lib/tensor/datatypes";
import type { SignatureDifference } from "@/lib/registry/compare-signatures";
import { labelSummary } from "@/lib/registry/class-labels";

const shapeText = (s: number[]) => `[${s.map((d) => (d === -1 ? "?" : d)).join(", ")}]`;

export function SignatureTable({ signature, differences }: { signature: ModelSignature; differences?: SignatureDifference[] }) {
  const rows = [
    ...signature.inputs.map((t) => ({ side: "input" as const, ...t })),
    ...signature.outputs.map((t) => ({ side: "output" as const, ...t })),
  ];
  const removed = (differences ?? []).filter((d) => d.kind === "missing");
  return (
    <Table>
      <thead>
        <tr>
          <Th>Kind</Th>
          <Th>Name</Th>
          <Th>Datatype</Th>
          <Th>Shape</Th>
          {differences ? <Th>Change</Th> : null}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => {
          const diffs = (differences ?? []).filter((d) => d.side === r.side && d.name === r.name);
          const breaking = diffs.some((d) => d.breaking);
          const labels = r.side === "output" ? signature.labels?.[r.name] : undefined;
          return (
            <Tr key={`${r.side}:${r.name}`} className={diffs.length ? (breaking ? "bg-red-50" : "bg-amber-50") : undefined} data-changed={diffs.length ? "true" : undefined}>
              <Td>{r.side}</Td>
              <Td className="font-mono text-xs">
                {r.name}
                {labels ? (
                  <div className="mt-0.5 max-w-[12rem] truncate font-sans text-slate-500" title={labels.slice(0, 200).join("\n")}>
                    labels: {labelSummary(labels)}
                  </div>
                ) : null}
              </Td>
              <Td className="font-mono text-xs">{r.datatype}</Td>
              <Td className="font-mono text-xs" title="? = dynamic (-1)">{shapeText(r.shape)}</Td>
              {differences ? (
                <Td className="text-xs">
                  {/* A child's own whitespace-normal: Td's whitespace-nowrap would win over one beside it. */}
                  {diffs.map((d) => (
                    <div key={d.kind} className="min-w-[12rem] whitespace-normal">
                      <Badge tone={d.breaking ? "red" : "yellow"}>{d.kind}</Badge> {d.message}
                    </div>
                  ))}
                </Td>
              ) : null}
            </Tr>
          );
        })}
        {removed.map((d) => (
          <Tr key={`missing:${d.side}:${d.name}`} className="bg-red-50" data-changed="true">
            <Td>{d.side}</Td>
            <Td className="font-mono text-xs line-through">{d.name}</Td>
            <Td>—</Td>
            <Td>—</Td>
            <Td className="text-xs"><div className="min-w-[12rem] whitespace-normal"><Badge tone="red">missing</Badge> {d.message}</div></Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}
