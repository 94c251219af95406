"use client";
/**
 * Edits an endpoint's whole routing config: variants with weight sliders and live shares, the ordered rule list,
 * sticky key, shadow and rollout policy, with the schema's messages inline (lib/routing is pure, so it validates
 * here exactly as the server will). "Test a request" explains the draft against the server's aliases. Save sends
 * the generation it loaded; a 409 means someone else saved first.
 */
import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { endpointConfigIssues, type ConfigIssue } from "@/lib/routing/endpoint-config.schema";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Alert, Input, Select, Textarea } from "@/components/ui/form";
import { TargetSelect } from "./target-select";
import { useHydrated } from "@/components/settings/use-hydrated";
import { configFromDraft, draftFromConfig, formatShare, moveItem, newKey, parseHeaderLines, variantShares, type Draft, type DraftRule, type MatchKind } from "./routing-draft";

export interface RoutingEditorProps {
  endpointName: string;
  modelName: string;
  initialConfig: unknown;
  generation: number;
  versions: { version: number; status: string }[];
  aliases: { name: string; version: number }[];
  /** Called after a successful save with the new generation. */
  onSaved?: (generation: number) => void;
}

function IssueText({ issues, path }: { issues: ConfigIssue[]; path: string }) {
  const mine = issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));
  if (!mine.length) return null;
  return (
    <p className="mt-1 text-xs text-red-600" role="alert">
      {mine.map((i) => `${i.path}: ${i.message}`).join("; ")}
    </p>
  );
}

export function RoutingEditor(props: RoutingEditorProps) {
  const router = useRouter();
  const { endpointName, versions, aliases } = props;
  const [draft, setDraft] = useState<Draft>(() => draftFromConfig(props.initialConfig, props.modelName));
  const [generation, setGeneration] = useState(props.generation);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [sample, setSample] = useState("x-user-id: 42");
  const [explained, setExplained] = useState<string | null>(null);
  // Until hydrated, edits would be dropped when React takes over the inputs: Save stays disabled until then.
  const hydrated = useHydrated();

  const config = useMemo(() => configFromDraft(draft), [draft]);
  const issues = useMemo(() => endpointConfigIssues(config), [config]);
  const shares = variantShares(draft.variants);
  const variantNames = draft.variants.map((v) => v.name);
  const update = (f: (d: Draft) => Draft) => setDraft((d) => f(d));
  const setRule = (i: number, patch: Partial<DraftRule>) => update((d) => ({ ...d, rules: d.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));

  async function save() {
    setSaving(true);
    setStatus(null);
    try {
      const res = await fetch(`/api/endpoints/${encodeURIComponent(endpointName)}`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...config, generation }),
      });
      const body = await res.json().catch(() => ({}));
      if (res.status === 409) setStatus({ tone: "error", text: "Someone else changed this endpoint — reload" });
      else if (!res.ok) setStatus({ tone: "error", text: body.error ?? `Save failed (${res.status})` });
      else {
        const next = typeof body.generation === "number" ? body.generation : generation + 1;
        setGeneration(next);
        setStatus({ tone: "success", text: `Saved (generation ${next})` });
        props.onSaved?.(next);
        // The server-rendered parts of the page (variants, timeline) show the new generation too.
        router.refresh();
      }
    } finally {
      setSaving(false);
    }
  }

  async function explain() {
    setExplained(null);
    const res = await fetch(`/api/endpoints/${encodeURIComponent(endpointName)}/explain`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ headers: parseHeaderLines(sample), ...(issues.length === 0 ? { config } : {}) }),
    });
    const body = await res.json().catch(() => ({}));
    setExplained(res.ok ? body.summary : `Error: ${body.error ?? res.status}`);
  }

  return (
    <Card data-testid="routing-editor">
      <CardHeader
        title="Routing"
        description={`Generation ${generation}. Shares are weight ÷ sum of weights; header rules are checked first, in order.`}
        actions={
          <Button onClick={save} disabled={saving || !hydrated || issues.length > 0}>
            {saving ? "Saving…" : "Save routing"}
          </Button>
        }
      />
      <CardBody className="space-y-6">
        {status && <Alert tone={status.tone}>{status.text}</Alert>}
        {issues.length > 0 && <Alert tone="warn">{`${issues.length} problem${issues.length > 1 ? "s" : ""} to fix before saving`}</Alert>}
        <IssueText issues={issues.filter((i) => i.path === "" || i.path === "model")} path="" />

        <section aria-label="Variants" className="space-y-2">
          <h3 className="text-sm font-semibold text-slate-800">Variants</h3>
          <IssueText issues={issues.filter((i) => i.path === "variants")} path="variants" />
          {draft.variants.map((v, i) => (
            // On a phone the row takes two lines (name and version; weight, share and remove), from sm one line of 12.
            <div key={v.key} className="grid grid-cols-6 items-center gap-2 sm:grid-cols-12">
              <Input className="col-span-2" aria-label={`Name of variant ${i + 1}`} value={v.name} onChange={(e) => update((d) => ({ ...d, variants: d.variants.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) }))} />
              <div className="col-span-4">
                <TargetSelect label={`Version for ${v.name}`} value={v.target} versions={versions} aliases={aliases} onChange={(target) => update((d) => ({ ...d, variants: d.variants.map((x, j) => (j === i ? { ...x, target } : x)) }))} />
              </div>
              <input
                type="range"
                min={0}
                max={100}
                step={1}
                className="col-span-3 accent-brand-600 sm:col-span-2"
                aria-label={`Weight for ${v.name}`}
                value={v.weight}
                onChange={(e) => update((d) => ({ ...d, variants: d.variants.map((x, j) => (j === i ? { ...x, weight: Number(e.target.value) } : x)) }))}
              />
              <span className="hidden text-right text-sm tabular-nums text-slate-500 sm:col-span-1 sm:block">{v.weight}</span>
              <span className="col-span-2 whitespace-nowrap text-right text-sm font-medium tabular-nums" data-testid={`share-${v.name}`}>{formatShare(shares[v.name] ?? 0)}</span>
              <Button variant="ghost" size="sm" className="col-span-1" aria-label={`Remove variant ${v.name}`} onClick={() => update((d) => ({ ...d, variants: d.variants.filter((_, j) => j !== i) }))}>
                Remove
              </Button>
              <div className="col-span-6 sm:col-span-12">
                <IssueText issues={issues} path={`variants[${i}]`} />
              </div>
            </div>
          ))}
          <Button variant="secondary" size="sm" onClick={() => update((d) => ({ ...d, variants: [...d.variants, { key: newKey(), name: `variant-${d.variants.length + 1}`, target: "", weight: 0 }] }))}>
            Add variant
          </Button>
        </section>

        <section aria-label="Rules" className="space-y-2">
          <h3 className="text-sm font-semibold text-slate-800">Rules (first match wins)</h3>
          {draft.rules.length === 0 && <p className="text-sm text-slate-500">No rules: weights decide.</p>}
          {draft.rules.map((r, i) => (
            <div key={r.key} className="grid grid-cols-12 items-center gap-2">
              <span className="col-span-1 text-xs text-slate-500">{`rule ${i + 1}`}</span>
              <Select className="col-span-2" aria-label={`Source of rule ${i + 1}`} value={r.source} onChange={(e) => setRule(i, { source: e.target.value as DraftRule["source"] })}>
                <option value="header">header</option>
                <option value="parameter">parameter</option>
              </Select>
              <Input className="col-span-2" aria-label={`Key of rule ${i + 1}`} placeholder="x-segment" value={r.name} onChange={(e) => setRule(i, { name: e.target.value })} />
              <Select className="col-span-2" aria-label={`Matcher of rule ${i + 1}`} value={r.match} onChange={(e) => setRule(i, { match: e.target.value as MatchKind })}>
                <option value="equals">equals</option>
                <option value="prefix">starts with</option>
                <option value="regex">matches regex</option>
                <option value="present">is present</option>
              </Select>
              <Input className="col-span-2" aria-label={`Value of rule ${i + 1}`} disabled={r.match === "present"} value={r.value} onChange={(e) => setRule(i, { value: e.target.value })} />
              <Select className="col-span-1" aria-label={`Target of rule ${i + 1}`} value={r.variant} onChange={(e) => setRule(i, { variant: e.target.value })}>
                {!variantNames.includes(r.variant) && <option value={r.variant}>{r.variant || "choose…"}</option>}
                {variantNames.map((n) => (
                  <option key={n} value={n}>{n}</option>
                ))}
              </Select>
              <div className="col-span-2 flex gap-1">
                <Button variant="ghost" size="sm" aria-label={`Move rule ${i + 1} up`} disabled={i === 0} onClick={() => update((d) => ({ ...d, rules: moveItem(d.rules, i, -1) }))}>↑</Button>
                <Button variant="ghost" size="sm" aria-label={`Move rule ${i + 1} down`} disabled={i === draft.rules.length - 1} onClick={() => update((d) => ({ ...d, rules: moveItem(d.rules, i, 1) }))}>↓</Button>
                <Button variant="ghost" size="sm" aria-label={`Remove rule ${i + 1}`} onClick={() => update((d) => ({ ...d, rules: d.rules.filter((_, j) => j !== i) }))}>✕</Button>
              </div>
              <div className="col-span-12">
                <IssueText issues={issues} path={`rules[${i}]`} />
              </div>
            </div>
          ))}
          <Button variant="secondary" size="sm" onClick={() => update((d) => ({ ...d, rules: [...d.rules, { key: newKey(), source: "header", name: "", match: "equals", value: "", variant: d.variants[0]?.name ?? "" }] }))}>
            Add rule
          </Button>
        </section>

        <section aria-label="Sticky and shadow" className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <div className="space-y-1">
            <h3 className="text-sm font-semibold text-slate-800">Sticky key</h3>
            <div className="flex gap-2">
              <Select aria-label="Sticky key source" value={draft.sticky.source} onChange={(e) => update((d) => ({ ...d, sticky: { ...d.sticky, source: e.target.value as Draft["sticky"]["source"] } }))}>
                <option value="none">none (random)</option>
                <option value="header">header</option>
                <option value="parameter">parameter</option>
              </Select>
              {draft.sticky.source !== "none" && <Input aria-label="Sticky key name" placeholder="x-user-id" value={draft.sticky.name} onChange={(e) => update((d) => ({ ...d, sticky: { ...d.sticky, name: e.target.value } }))} />}
            </div>
            <IssueText issues={issues} path="sticky" />
          </div>
          <div className="space-y-1">
            <h3 className="text-sm font-semibold text-slate-800">Shadow</h3>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={draft.shadow.enabled} onChange={(e) => update((d) => ({ ...d, shadow: { ...d.shadow, enabled: e.target.checked } }))} />
              Mirror traffic to a shadow version
            </label>
            {draft.shadow.enabled && (
              <div className="flex items-center gap-2">
                <TargetSelect label="Shadow version" value={draft.shadow.target} versions={versions} aliases={aliases} onChange={(target) => update((d) => ({ ...d, shadow: { ...d.shadow, target } }))} />
                <Input type="number" className="w-24" aria-label="Shadow percent" min={0} max={100} value={draft.shadow.percent} onChange={(e) => update((d) => ({ ...d, shadow: { ...d.shadow, percent: Number(e.target.value) } }))} />
                <span className="text-sm text-slate-500">%</span>
              </div>
            )}
            <IssueText issues={issues} path="shadow" />
          </div>
        </section>

        <section aria-label="Rollout policy" className="space-y-2">
          <h3 className="text-sm font-semibold text-slate-800">Canary rollout policy</h3>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={draft.rollout.enabled} onChange={(e) => update((d) => ({ ...d, rollout: { ...d.rollout, enabled: e.target.checked } }))} />
            Guarded canary (start it from the rollout panel)
          </label>
          {draft.rollout.enabled && (
            <div className="grid grid-cols-2 gap-2 md:grid-cols-4">
              <Select aria-label="Candidate version" value={draft.rollout.candidateVersion} onChange={(e) => update((d) => ({ ...d, rollout: { ...d.rollout, candidateVersion: e.target.value } }))}>
                <option value="">candidate version…</option>
                {versions.filter((v) => v.status === "ready").map((v) => (
                  <option key={v.version} value={String(v.version)}>{`v${v.version}`}</option>
                ))}
              </Select>
              <Input aria-label="Steps (percent)" placeholder="5, 25, 50, 100" value={draft.rollout.steps} onChange={(e) => update((d) => ({ ...d, rollout: { ...d.rollout, steps: e.target.value } }))} />
              <Input type="number" aria-label="Bake time per step (seconds)" value={draft.rollout.bakeSeconds} onChange={(e) => update((d) => ({ ...d, rollout: { ...d.rollout, bakeSeconds: Number(e.target.value) } }))} />
              {(
                [
                  ["maxErrorRateRatio", "Max error-rate ratio (default 2)"],
                  ["maxP95LatencyRatio", "Max p95 ratio (default 1.5)"],
                  ["minRequests", "Min requests (default 100)"],
                  ["maxDriftShare", "Max drift share 0–1"],
                  ["maxShadowDisagreement", "Max shadow disagreement 0–1"],
                ] as const
              ).map(([key, label]) => (
                <Input key={key} aria-label={label} placeholder={label} value={draft.rollout[key]} onChange={(e) => update((d) => ({ ...d, rollout: { ...d.rollout, [key]: e.target.value } }))} />
              ))}
            </div>
          )}
          <IssueText issues={issues} path="rollout" />
        </section>

        <section aria-label="Test a request" className="space-y-2">
          <h3 className="text-sm font-semibold text-slate-800">Test a request</h3>
          <Textarea aria-label="Sample headers" rows={3} value={sample} onChange={(e) => setSample(e.target.value)} placeholder={"x-segment: beta\nx-user-id: 42"} />
          <Button variant="secondary" size="sm" onClick={explain}>Where does it go?</Button>
          {explained && <p className="text-sm text-slate-700" data-testid="route-explanation">{explained}</p>}
        </section>
      </CardBody>
    </Card>
  );
}
