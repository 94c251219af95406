"use client";
/**
 * Creates an endpoint in the browser: a name, the model, the alias or version that takes all its traffic, and an
 * optional description. Checked as you type by the rules the server applies (new-endpoint-draft.ts); on success the
 * endpoint's page opens, where weights, rules, shadow and canary are edited.
 */
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Alert, Field, Input, Select } from "@/components/ui/form";
import { useJsonRequest } from "@/components/ui/use-json-request";
import { useHydrated } from "@/components/settings/use-hydrated";
import { TargetSelect } from "@/components/routing/target-select";
import { inferUrl } from "@/lib/oip/infer-curl";
import { canCreate, defaultTarget, newEndpointConfig, newEndpointProblems, type NewEndpointDraft, type ServableModel } from "./new-endpoint-draft";

export interface NewEndpointFormProps {
  models: ServableModel[];
  existingEndpoints: string[];
  /** Preselected model (`/endpoints/new?model=…`). */
  initialModel?: string;
  inferenceUrl: string;
}

/** The model's own name when no endpoint has it yet: the usual choice for a model's first endpoint. */
const suggestedName = (model: string, existing: readonly string[]) => (model && !existing.includes(model) ? model : "");

export function NewEndpointForm({ models, existingEndpoints, initialModel, inferenceUrl }: NewEndpointFormProps) {
  const router = useRouter();
  const hydrated = useHydrated();
  const { request, pending, error } = useJsonRequest();
  const first = models.find((m) => m.name === initialModel) ?? (models.length === 1 ? models[0] : undefined);
  const [draft, setDraft] = useState<NewEndpointDraft>(() => ({
    name: suggestedName(first?.name ?? "", existingEndpoints),
    model: first?.name ?? "",
    target: defaultTarget(first),
    description: "",
  }));
  // The name follows the model until the person types one.
  const [nameTyped, setNameTyped] = useState(false);
  const problems = newEndpointProblems(draft, models, existingEndpoints);
  const model = models.find((m) => m.name === draft.model);

  function chooseModel(name: string) {
    const next = models.find((m) => m.name === name);
    setDraft((d) => ({ ...d, model: name, target: defaultTarget(next), name: nameTyped ? d.name : suggestedName(name, existingEndpoints) }));
  }

  async function create(e: React.FormEvent) {
    e.preventDefault();
    if (!canCreate(draft, problems)) return;
    const answer = await request("PUT", `/api/endpoints/${encodeURIComponent(draft.name)}`, newEndpointConfig(draft));
    if (answer) router.push(`/endpoints/${encodeURIComponent(draft.name)}`);
  }

  return (
    <form className="space-y-5" onSubmit={create} noValidate>
      {error && <Alert>{error}</Alert>}
      <Field label="Model" htmlFor="endpoint-model" error={problems.model} hint="The model whose versions this endpoint serves.">
        <Select id="endpoint-model" value={draft.model} onChange={(e) => chooseModel(e.target.value)}>
          <option value="">choose a model…</option>
          {models.map((m) => (
            <option key={m.name} value={m.name}>{m.name}</option>
          ))}
        </Select>
      </Field>
      <Field
        label="Endpoint name"
        htmlFor="endpoint-name"
        error={problems.name}
        hint={draft.name && !problems.name ? <>Clients call <code className="break-all">{inferUrl(inferenceUrl, draft.name)}</code></> : "The name clients call; lowercase letters, digits, '.', '_' or '-'."}
      >
        <Input
          id="endpoint-name"
          value={draft.name}
          placeholder="fraud"
          autoComplete="off"
          onChange={(e) => {
            setNameTyped(true);
            setDraft((d) => ({ ...d, name: e.target.value }));
          }}
        />
      </Field>
      <Field
        label="Serve"
        htmlFor="endpoint-target"
        error={problems.target}
        hint="An alias follows promotions and rollbacks on its own; a version stays fixed. Traffic splits, rules, a shadow and a canary are set on the endpoint's page."
      >
        <TargetSelect id="endpoint-target" label="Serve" value={draft.target} versions={model?.versions ?? []} aliases={model?.aliases ?? []} onChange={(target) => setDraft((d) => ({ ...d, target }))} />
      </Field>
      <Field label="Description (optional)" htmlFor="endpoint-description" error={problems.description}>
        <Input id="endpoint-description" value={draft.description} placeholder="What calls it, and what for" onChange={(e) => setDraft((d) => ({ ...d, description: e.target.value }))} />
      </Field>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={!hydrated || pending || !canCreate(draft, problems)}>
          {pending ? "Creating…" : "Create endpoint"}
        </Button>
        <span className="text-xs text-slate-500">The data plane loads and warms the version before it takes traffic.</span>
      </div>
    </form>
  );
}
