/** Every alias move of a model, newest first: promotions, rollbacks, forced moves, who and why. */
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/components/ui/format";

export interface AliasHistoryEntry {
  id: string;
  alias: string;
  fromVersion: number | null;
  toVersion: number;
  kind: string;
  forced: boolean;
  actor: string | null;
  reason: string | null;
  createdAt: string;
}

export function AliasHistory({ history }: { history: AliasHistoryEntry[] }) {
  if (!history.length) return <p className="px-5 py-4 text-sm text-slate-500">No alias moves yet.</p>;
  return (
    <Table>
      <thead>
        <tr>
          <Th>When</Th>
          <Th>Alias</Th>
          <Th>Move</Th>
          <Th>By</Th>
          <Th>Reason</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {history.map((h) => (
          <Tr key={h.id}>
            <Td>{formatDateTime(h.createdAt)}</Td>
            <Td>
              <Badge tone={h.alias === "production" ? "purple" : "blue"}>{h.alias}</Badge>
            </Td>
            <Td>
              {h.fromVersion ? `v${h.fromVersion} → ` : ""}v{h.toVersion}{" "}
              {h.kind === "rollback" ? <Badge tone="yellow">rollback</Badge> : null} {h.forced ? <Badge tone="red">forced</Badge> : null}
            </Td>
            <Td>{h.actor ?? "—"}</Td>
            <Td className="max-w-xs truncate" title={h.reason ?? undefined}>{h.reason ?? ""}</Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}
