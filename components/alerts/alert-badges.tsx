import { Badge, type Tone } from "@/components/ui/badge";

const STATUS_TONE: Record<string, Tone> = { open: "red", acknowledged: "yellow", muted: "gray", resolved: "green" };
const SEVERITY_TONE: Record<string, Tone> = { critical: "red", warn: "yellow" };

/** The badge text is the status itself (tests and screen readers rely on it). */
export function AlertStatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONE[status] ?? "gray"} data-testid="alert-status">{status}</Badge>;
}

export function AlertSeverityBadge({ severity }: { severity: string }) {
  return <Badge tone={SEVERITY_TONE[severity] ?? "gray"}>{severity}</Badge>;
}
