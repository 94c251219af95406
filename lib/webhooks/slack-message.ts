/**
 * A webhook's payload as a Slack incoming-webhook message (`{"text": …}` in Slack's mrkdwn; Mattermost's incoming
 * webhooks take the same), for hooks whose format is "slack": what fired, where, how far past its threshold, and links
 * to the alert and its chart in the dashboard. Pure.
 */
import { formatScore } from "@/lib/drift/format-score";

export const WEBHOOK_FORMATS = ["json", "slack"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

interface AlertPayload {
  id: string;
  title: string;
  severity: string;
  signal: string;
  message?: string;
  value?: number | null;
  threshold?: number | null;
  chartUrl?: string | null;
}

/** A value as a person reads it in a chat line: rates as percentages, latency in ms, drift scores as the dashboard does. */
function valueText(signal: string, v: number): string {
  if (signal === "error_rate" || signal === "data_quality") return `${Number((v * 100).toPrecision(3))} %`;
  if (signal === "latency") return `${Number(v.toPrecision(3))} ms`;
  if (signal === "drift") return formatScore(v);
  return Number(v.toPrecision(3)).toString();
}

/** Slack's three control characters, escaped as its docs ask. */
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const HEADS: Record<string, (a: AlertPayload) => string> = {
  "alert.opened": (a) => `:rotating_light: *[${a.severity}] ${esc(a.title)}*`,
  "alert.escalated": (a) => `:arrow_double_up: *Escalated to ${a.severity}: ${esc(a.title)}*`,
  "alert.resolved": (a) => `:white_check_mark: *Resolved: ${esc(a.title)}*`,
};

export function slackMessage(payload: unknown, dashboard: string): { text: string } {
  const p = (payload ?? {}) as { event?: string; alert?: AlertPayload; webhook?: { name?: string } };
  const base = dashboard.replace(/\/+$/, "");
  const a = p.alert;
  if (!a || !p.event || !HEADS[p.event]) {
    return { text: `Test message from <${base}|Ferry>: alerts for this webhook${p.webhook?.name ? ` (${esc(p.webhook.name)})` : ""} will arrive here.` };
  }
  const lines = [HEADS[p.event](a)];
  if (a.message) lines.push(esc(a.message));
  if (a.value != null && a.threshold != null) lines.push(`${valueText(a.signal, a.value)} against a threshold of ${valueText(a.signal, a.threshold)}`);
  const links = [`<${base}/alerts/${encodeURIComponent(a.id)}|Open the alert>`];
  if (a.chartUrl) links.push(`<${base}${a.chartUrl}|the chart as it fired>`);
  lines.push(links.join(" · "));
  return { text: lines.join("\n") };
}
