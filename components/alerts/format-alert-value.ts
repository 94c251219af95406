/** How an alert's value and threshold read, by signal: error rates as percentages, latency in ms. Pure. */
import { formatMs, formatPercent } from "@/components/ui/format";
import { formatScore } from "@/lib/drift/format-score";

export function formatAlertValue(signal: string, v: number | null | undefined): string {
  if (v == null || Number.isNaN(v)) return "—";
  if (signal === "error_rate" || signal === "data_quality") return formatPercent(v, v < 0.1 ? 2 : 1);
  if (signal === "latency") return formatMs(v);
  if (signal === "drift") return formatScore(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(3)).toString();
}

export const SIGNAL_LABELS: Record<string, string> = {
  drift: "Drift",
  data_quality: "Data quality",
  error_rate: "Error rate",
  latency: "Latency",
  canary: "Canary",
};
