import { Badge, type Tone } from "@/components/ui/badge";

const TONE: Record<string, Tone> = { ready: "green", validating: "yellow", failed: "red", archived: "gray" };

export function VersionStatusBadge({ status, title }: { status: string; title?: string | null }) {
  return (
    <Badge tone={TONE[status] ?? "gray"} title={title ?? undefined}>
      {status}
    </Badge>
  );
}
