// Per-endpoint drift settings, from the `Setting` row `drift.<endpointName>` (the routing config is a strict schema
// with no drift key): per-feature method/threshold overrides, the dataset drift share, an optional reference window
// of production traffic instead of the version's reference dataset, the evaluation schedule and the alert gates.
// Pure (zod): an invalid stored value falls back to the defaults and is reported, it never stops evaluation.
import { z } from "zod";
import { DEFAULT_DRIFT_SHARE } from "@/lib/drift/select-method";
import type { DriftMethod, DriftOverride } from "@/lib/drift/types";

export const DRIFT_METHODS = ["ks", "chisquare", "z", "wasserstein_norm", "jensen_shannon", "psi", "linf"] as const satisfies readonly DriftMethod[];

const isoDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((s) => new Date(s));

export const featureOverrideSchema = z
  .object({
    method: z.enum(DRIFT_METHODS).optional(),
    threshold: z.number().positive().optional(),
  })
  .strict();

export const driftSettingsSchema = z
  .object({
    features: z.record(z.string(), featureOverrideSchema).optional().describe("per feature (or output:<name>) method and threshold"),
    driftShare: z.number().gt(0).max(1).optional().describe("dataset drift when at least this share of features drift (default 0.5)"),
    reference: z
      .object({ from: isoDate, to: isoDate })
      .strict()
      .refine((r) => r.from < r.to, "from must be before to")
      .optional()
      .describe("a window of production traffic to compare against instead of the version's reference dataset"),
    schedule: z
      .object({
        enabled: z.boolean().optional(),
        everyMinutes: z.number().int().min(1).max(24 * 60).optional(),
        windowMinutes: z.number().int().min(1).max(30 * 24 * 60).optional(),
      })
      .strict()
      .optional(),
    alerts: z
      .object({
        enabled: z.boolean().optional(),
        minRows: z.number().int().min(1).optional(),
        quietMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
        qualityWarn: z.number().min(0).max(1).optional(),
        qualityCritical: z.number().min(0).max(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type DriftSettingsInput = z.input<typeof driftSettingsSchema>;

export type DriftSettings = {
  features: Record<string, DriftOverride>;
  driftShare: number;
  reference: { from: Date; to: Date } | null;
  schedule: { enabled: boolean; everyMinutes: number; windowMinutes: number };
  alerts: { enabled: boolean; minRows: number; quietMinutes: number; qualityWarn: number; qualityCritical: number };
};

export const DEFAULT_DRIFT_SETTINGS: DriftSettings = {
  features: {},
  driftShare: DEFAULT_DRIFT_SHARE,
  reference: null,
  schedule: { enabled: true, everyMinutes: 5, windowMinutes: 60 },
  alerts: { enabled: true, minRows: 30, quietMinutes: 30, qualityWarn: 0.05, qualityCritical: 0.2 },
};

export const driftSettingKey = (endpointName: string) => `drift.${endpointName}`;

export function resolveDriftSettings(stored: unknown): { settings: DriftSettings; error?: string } {
  const d = DEFAULT_DRIFT_SETTINGS;
  if (stored == null) return { settings: d };
  const parsed = driftSettingsSchema.safeParse(stored);
  if (!parsed.success) {
    return { settings: d, error: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ") };
  }
  const s = parsed.data;
  return {
    settings: {
      features: s.features ?? {},
      driftShare: s.driftShare ?? d.driftShare,
      reference: s.reference ?? null,
      schedule: { ...d.schedule, ...s.schedule },
      alerts: { ...d.alerts, ...s.alerts },
    },
  };
}

type SettingReader = { setting: { findUnique(args: { where: { key: string } }): Promise<{ value: unknown } | null> } };

export async function loadDriftSettings(db: SettingReader, endpointName: string): Promise<{ settings: DriftSettings; error?: string }> {
  const row = await db.setting.findUnique({ where: { key: driftSettingKey(endpointName) } });
  return resolveDriftSettings(row?.value);
}
