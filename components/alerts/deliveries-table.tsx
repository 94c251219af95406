/** Webhook deliveries: event, target, status, attempts, the receiver's answer or the error, and timing. */
import { Badge, type Tone } from "@/components/ui/badge";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { formatDateTime, formatRelative } from "@/components/ui/format";

export interface DeliveryView {
  id: string;
  webhook?: string;
  event: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string;
  deliveredAt: string | null;
  createdAt: string;
}

const TONE: Record<string, Tone> = { delivered: "green", pending: "yellow", failed: "red" };

export function DeliveriesTable({ deliveries, showWebhook = true }: { deliveries: DeliveryView[]; showWebhook?: boolean }) {
  if (!deliveries.length) return <p className="px-5 py-6 text-center text-sm text-slate-500">No deliveries yet.</p>;
  return (
    <Table aria-label="Webhook deliveries">
      <thead>
        <tr>
          <Th>Event</Th>
          {showWebhook ? <Th>Webhook</Th> : null}
          <Th>Status</Th>
          <Th>Attempts</Th>
          <Th>Answer</Th>
          <Th>Queued</Th>
          <Th>Delivered / next try</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {deliveries.map((d) => (
          <Tr key={d.id}>
            <Td className="font-mono text-xs">{d.event}</Td>
            {showWebhook ? <Td>{d.webhook ?? "—"}</Td> : null}
            <Td><Badge tone={TONE[d.status] ?? "gray"}>{d.status}</Badge></Td>
            <Td className="tabular-nums">{d.attempts}</Td>
            <Td className="max-w-xs truncate" title={d.lastError ?? undefined}>
              {d.responseStatus ? <span className="tabular-nums">HTTP {d.responseStatus}</span> : null}
              {d.lastError && !d.responseStatus ? <span className="text-red-700">{d.lastError}</span> : null}
              {!d.responseStatus && !d.lastError ? "—" : null}
            </Td>
            <Td title={formatDateTime(d.createdAt)}>{formatRelative(d.createdAt)}</Td>
            <Td>
              {d.deliveredAt
                ? formatDateTime(d.deliveredAt)
                : d.status === "pending"
                  ? `next ${formatDateTime(d.nextAttemptAt)}`
                  : "gave up"}
            </Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}
