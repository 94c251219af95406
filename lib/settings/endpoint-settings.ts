/**
 * The per-endpoint settings that live outside the routing config (which is a strict schema the data plane reads):
 * drift evaluation (`drift.<endpoint>`, lib/drift/drift-settings.ts) and metric alert rules (`alerts.<endpoint>`,
 * lib/alerts/alert-settings.ts), both stored as `Setting` rows. One table of kinds so the API, the audit and the UI
 * treat them alike. Pure.
 */
import type { z } from "zod";
import { alertSettingKey, alertSettingsSchema, resolveAlertSettings } from "@/lib/alerts/alert-settings";
import { driftSettingKey, driftSettingsSchema, resolveDriftSettings } from "@/lib/drift/drift-settings";

export const SETTING_KINDS = ["drift", "alerts"] as const;
export type SettingKind = (typeof SETTING_KINDS)[number];

interface KindSpec {
  key(endpointName: string): string;
  schema: z.ZodType;
  /** Defaults merged with the stored value; an invalid stored value falls back to the defaults with a problem. */
  resolve(stored: unknown): { settings: unknown; error?: string };
}

export const SETTING_SPECS: Record<SettingKind, KindSpec> = {
  drift: { key: driftSettingKey, schema: driftSettingsSchema, resolve: resolveDriftSettings },
  alerts: { key: alertSettingKey, schema: alertSettingsSchema, resolve: resolveAlertSettings },
};

export interface EndpointSettingView {
  kind: SettingKind;
  /** What an operator stored (only the keys they set), or null when the defaults apply. */
  stored: Record<string, unknown> | null;
  /** The defaults merged with `stored`: what the jobs use. */
  effective: unknown;
  /** Why a stored value is ignored (it no longer passes validation), if it is. */
  problem: string | null;
  updatedAt: Date | null;
}

export function settingView(kind: SettingKind, row: { value: unknown; updatedAt: Date } | null): EndpointSettingView {
  const { settings, error } = SETTING_SPECS[kind].resolve(row?.value);
  const stored = row && typeof row.value === "object" && row.value !== null && !Array.isArray(row.value) ? (row.value as Record<string, unknown>) : null;
  return { kind, stored, effective: settings, problem: error ?? null, updatedAt: row?.updatedAt ?? null };
}
