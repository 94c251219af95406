"use client";
/**
 * The endpoint's drift evaluation settings (schedule, window, dataset drift share, per-feature method and threshold)
 * and metric alert rules (error rate and p95 latency bands), as forms. Empty fields use the defaults, shown as
 * placeholders. Viewers see the values read-only; saving refreshes the page so the report shows the new thresholds.
 */
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Alert, Field, Input, Select } from "@/components/ui/form";
import { useJsonRequest } from "@/components/ui/use-json-request";
import { DRIFT_METHODS, type DriftSettings } from "@/lib/drift/drift-settings";
import type { AlertSettings } from "@/lib/alerts/alert-settings";
import { methodLabel } from "./prepare-drift-view";
import { alertBodyFrom, alertFormFrom, driftBodyFrom, driftFormFrom, type AlertForm, type DriftForm } from "./settings-form";

export interface SettingsView {
  stored: Record<string, unknown> | null;
  effective: unknown;
  problem: string | null;
}

interface Props {
  endpoint: string;
  drift: SettingsView;
  alerts: SettingsView;
  /** Features as the report names them, with the method the defaults chose for each. */
  features: { name: string; method: string }[];
  canEdit: boolean;
}

export function EndpointSettingsPanel({ endpoint, drift, alerts, features, canEdit }: Props) {
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-2" data-testid="endpoint-settings">
      <DriftSettingsCard endpoint={endpoint} view={drift} features={features} canEdit={canEdit} />
      <AlertSettingsCard endpoint={endpoint} view={alerts} canEdit={canEdit} />
    </div>
  );
}

/** Form state, save (PUT) and reset (DELETE) of one kind of settings: the part both cards share. */
function useSettingsForm<F>(endpoint: string, kind: "drift" | "alerts", view: SettingsView, fromStored: (stored: SettingsView["stored"]) => F, toBody: (form: F) => unknown, savedNotice: string) {
  const [form, setForm] = useState<F>(() => fromStored(view.stored));
  const { request, pending, error, notice, setNotice } = useJsonRequest();
  const url = `/api/endpoints/${encodeURIComponent(endpoint)}/settings/${kind}`;
  const set = (patch: Partial<F>) => setForm((f) => ({ ...f, ...patch }));
  async function save(e: React.FormEvent) {
    e.preventDefault();
    if (await request("PUT", url, toBody(form))) setNotice(savedNotice);
  }
  async function reset() {
    if (await request("DELETE", url)) {
      setForm(fromStored(null));
      setNotice("Back to the defaults.");
    }
  }
  return { form, setForm, set, save, reset, pending, error, notice };
}

/** The card around one settings form: the stored-value problem, the fields (read-only for viewers) and the save bar. */
function SettingsCard({ title, description, problem, canEdit, state, testId, children }: {
  title: string;
  description: string;
  problem: string | null;
  canEdit: boolean;
  state: { save: (e: React.FormEvent) => void; reset: () => void; pending: boolean; error: string | null; notice: string | null };
  testId: string;
  children: React.ReactNode;
}) {
  return (
    <Card>
      <CardHeader title={title} description={description} />
      <CardBody>
        <form onSubmit={state.save} className="space-y-4">
          {problem ? <Alert tone="warn">The stored settings are ignored: {problem}</Alert> : null}
          <fieldset disabled={!canEdit} className="space-y-4">{children}</fieldset>
          <SaveBar pending={state.pending} error={state.error} notice={state.notice} canEdit={canEdit} onReset={state.reset} label={testId} />
        </form>
      </CardBody>
    </Card>
  );
}

function SaveBar({ pending, error, notice, canEdit, onReset, label }: { pending: boolean; error: string | null; notice: string | null; canEdit: boolean; onReset: () => void; label: string }) {
  if (!canEdit) return <p className="text-xs text-slate-500">Operators and admins can change these settings.</p>;
  return (
    <div className="space-y-3">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending} data-testid={`save-${label}`}>{pending ? "Saving…" : "Save"}</Button>
        <Button variant="secondary" onClick={onReset} disabled={pending}>Reset to defaults</Button>
      </div>
    </div>
  );
}

function DriftSettingsCard({ endpoint, view, features, canEdit }: { endpoint: string; view: SettingsView; features: Props["features"]; canEdit: boolean }) {
  const effective = view.effective as DriftSettings;
  const state = useSettingsForm(endpoint, "drift", view, driftFormFrom, (f: DriftForm) => driftBodyFrom(f, view.stored), "Saved. The next evaluation uses these settings.");
  const { form, setForm, set } = state;
  const setFeature = (name: string, patch: Partial<{ method: string; threshold: string }>) =>
    setForm((f) => ({ ...f, features: { ...f.features, [name]: { ...(f.features[name] ?? { method: "", threshold: "" }), ...patch } } }));

  return (
    <SettingsCard
      title="Drift evaluation"
      description="How often drift is evaluated, over which window, and each feature's test. Empty fields use the default shown."
      problem={view.problem}
      canEdit={canEdit}
      state={state}
      testId="drift-settings"
    >
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={form.scheduleEnabled} onChange={(e) => set({ scheduleEnabled: e.target.checked })} />
        Evaluate on a schedule
      </label>
      <div className="grid grid-cols-1 items-end gap-4 sm:grid-cols-3">
        <Field label="Every (minutes)" htmlFor="drift-every">
          <Input id="drift-every" inputMode="numeric" placeholder={String(effective.schedule.everyMinutes)} value={form.everyMinutes} onChange={(e) => set({ everyMinutes: e.target.value })} />
        </Field>
        <Field label="Window (minutes)" htmlFor="drift-window">
          <Input id="drift-window" inputMode="numeric" placeholder={String(effective.schedule.windowMinutes)} value={form.windowMinutes} onChange={(e) => set({ windowMinutes: e.target.value })} />
        </Field>
        <Field label="Dataset drift share (%)" htmlFor="drift-share">
          <Input id="drift-share" inputMode="decimal" placeholder={String(effective.driftShare * 100)} value={form.driftSharePct} onChange={(e) => set({ driftSharePct: e.target.value })} />
        </Field>
      </div>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field label="Reference traffic from (UTC)" htmlFor="drift-ref-from" hint="Empty: the version's reference dataset.">
          <Input id="drift-ref-from" type="datetime-local" value={form.referenceFrom} onChange={(e) => set({ referenceFrom: e.target.value })} />
        </Field>
        <Field label="Reference traffic to (UTC)" htmlFor="drift-ref-to">
          <Input id="drift-ref-to" type="datetime-local" value={form.referenceTo} onChange={(e) => set({ referenceTo: e.target.value })} />
        </Field>
      </div>
      {features.length ? (
        <table className="w-full text-sm" data-testid="drift-overrides">
          <thead>
            <tr className="text-left text-xs uppercase tracking-wide text-slate-500">
              <th className="py-1 pr-2 font-medium">Feature</th>
              <th className="py-1 pr-2 font-medium">Test</th>
              <th className="w-28 py-1 font-medium">Threshold</th>
            </tr>
          </thead>
          <tbody>
            {features.map((f) => {
              const current = form.features[f.name] ?? { method: "", threshold: "" };
              return (
                <tr key={f.name} className="border-t border-slate-100">
                  <td className="py-1.5 pr-2 font-mono text-xs">{f.name}</td>
                  <td className="py-1.5 pr-2">
                    <Select aria-label={`test for ${f.name}`} value={current.method} onChange={(e) => setFeature(f.name, { method: e.target.value })}>
                      <option value="">default ({methodLabel(f.method)})</option>
                      {DRIFT_METHODS.map((m) => <option key={m} value={m}>{methodLabel(m)}</option>)}
                    </Select>
                  </td>
                  <td className="py-1.5">
                    <Input aria-label={`threshold for ${f.name}`} inputMode="decimal" placeholder="default" value={current.threshold} onChange={(e) => setFeature(f.name, { threshold: e.target.value })} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p className="text-sm text-slate-500">Per-feature tests can be set once the serving version has a reference dataset.</p>
      )}
    </SettingsCard>
  );
}

function AlertSettingsCard({ endpoint, view, canEdit }: { endpoint: string; view: SettingsView; canEdit: boolean }) {
  const effective = view.effective as AlertSettings;
  const state = useSettingsForm(endpoint, "alerts", view, alertFormFrom, alertBodyFrom, "Saved. The alert job uses these rules from its next run.");
  const { form, set } = state;
  const field = (key: keyof AlertForm, label: string, placeholder: number) => (
    <Field label={label} htmlFor={`alert-${key}`}>
      <Input id={`alert-${key}`} inputMode="decimal" placeholder={String(placeholder)} value={form[key] as string} onChange={(e) => set({ [key]: e.target.value } as Partial<AlertForm>)} />
    </Field>
  );

  return (
    <SettingsCard
      title="Metric alert rules"
      description="Warn and critical bands for the error rate and p95 latency, judged over a sliding window."
      problem={view.problem}
      canEdit={canEdit}
      state={state}
      testId="alert-settings"
    >
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        Raise error-rate and latency alerts
      </label>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        {field("errorWarnPct", "Error rate: warn (%)", effective.errorRate.warn * 100)}
        {field("errorCriticalPct", "Error rate: critical (%)", effective.errorRate.critical * 100)}
        {field("latencyWarnMs", "p95 latency: warn (ms)", effective.latencyP95Ms.warn)}
        {field("latencyCriticalMs", "p95 latency: critical (ms)", effective.latencyP95Ms.critical)}
      </div>
      <div className="grid grid-cols-1 items-end gap-4 sm:grid-cols-3">
        {field("windowMinutes", "Window (minutes)", effective.windowMinutes)}
        {field("minRequests", "Min. requests", effective.minRequests)}
        {field("quietMinutes", "Quiet to resolve (min)", effective.quietMinutes)}
      </div>
    </SettingsCard>
  );
}
