/**
 * Per-endpoint alert rules for the metric signals, from the `Setting` row `alerts.<endpointName>` (JSON, validated
 * here), on top of Ferry's defaults: error rate warn 2 % / critical 10 %, p95 latency warn 250 ms / critical 1 s,
 * judged over the last 5 minutes once at least 20 requests were seen, resolved after 15 quiet minutes.
 */
import { z } from "zod";
import type { Bands } from "./evaluate-bands";

const band = z.object({ warn: z.number().nonnegative(), critical: z.number().nonnegative() }).strict();

export const alertSettingsSchema = z
  .object({
    enabled: z.boolean().optional(),
    errorRate: band.describe("fraction of requests, 0..1").optional(),
    latencyP95Ms: band.optional(),
    minRequests: z.number().int().min(1).optional(),
    windowMinutes: z.number().int().min(1).max(24 * 60).optional(),
    quietMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
  })
  .strict();

export type AlertSettingsInput = z.infer<typeof alertSettingsSchema>;

export interface AlertSettings {
  enabled: boolean;
  errorRate: Bands;
  latencyP95Ms: Bands;
  minRequests: number;
  windowMinutes: number;
  quietMinutes: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  enabled: true,
  errorRate: { warn: 0.02, critical: 0.1, direction: "above" },
  latencyP95Ms: { warn: 250, critical: 1000, direction: "above" },
  minRequests: 20,
  windowMinutes: 5,
  quietMinutes: 15,
};

export const alertSettingKey = (endpointName: string) => `alerts.${endpointName}`;

/** Defaults merged with a stored override; an invalid override is reported and ignored rather than silencing alerts. */
export function resolveAlertSettings(stored: unknown): { settings: AlertSettings; error?: string } {
  if (stored == null) return { settings: DEFAULT_ALERT_SETTINGS };
  const parsed = alertSettingsSchema.safeParse(stored);
  if (!parsed.success) return { settings: DEFAULT_ALERT_SETTINGS, error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const s = parsed.data;
  const d = DEFAULT_ALERT_SETTINGS;
  return {
    settings: {
      enabled: s.enabled ?? d.enabled,
      errorRate: s.errorRate ? { ...s.errorRate, direction: "above" } : d.errorRate,
      latencyP95Ms: s.latencyP95Ms ? { ...s.latencyP95Ms, direction: "above" } : d.latencyP95Ms,
      minRequests: s.minRequests ?? d.minRequests,
      windowMinutes: s.windowMinutes ?? d.windowMinutes,
      quietMinutes: s.quietMinutes ?? d.quietMinutes,
    },
  };
}
