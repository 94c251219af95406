/**
 * The "new endpoint" form's logic, pure so it is unit-tested without a browser: which version a new endpoint should
 * serve by default, what is wrong with the form as typed, and the body `PUT /api/endpoints/{name}` creates it with
 * (one variant taking all traffic; weights, rules, shadow and canary are edited on the endpoint's page afterwards).
 */
import { newEndpointNameProblem } from "@/lib/registry/model-name";
import { endpointConfigIssues, type EndpointConfigInput } from "@/lib/routing/endpoint-config.schema";
import type { ModelTargets } from "@/lib/registry/list-model-targets";
import { fromTarget } from "@/components/routing/routing-draft";

export type ServableModel = ModelTargets;

export interface NewEndpointDraft {
  name: string;
  model: string;
  /** "a:<alias>" or "v:<version>", as in the routing draft; "" before anything is chosen. */
  target: string;
  description: string;
}

/** The name the first variant gets; the routing editor renames it or adds others. */
export const FIRST_VARIANT = "primary";

/**
 * The `production` alias when the model has one (an endpoint that follows promotions), else its first alias, else
 * its newest ready version; "" when nothing of it can take traffic yet.
 */
export function defaultTarget(model: ServableModel | undefined): string {
  if (!model) return "";
  const ready = new Set(model.versions.filter((v) => v.status === "ready").map((v) => v.version));
  const aliases = model.aliases.filter((a) => ready.has(a.version));
  const alias = aliases.find((a) => a.name === "production") ?? aliases[0];
  if (alias) return `a:${alias.name}`;
  const newest = Math.max(...ready);
  return Number.isFinite(newest) ? `v:${newest}` : "";
}

export function newEndpointConfig(d: NewEndpointDraft): EndpointConfigInput {
  const description = d.description.trim();
  return {
    model: d.model,
    ...(description ? { description } : {}),
    variants: [{ name: FIRST_VARIANT, ...fromTarget(d.target), weight: 100 }],
  } as EndpointConfigInput;
}

export interface NewEndpointProblems {
  name?: string;
  model?: string;
  target?: string;
  description?: string;
}

/** What to fix before the form can be sent, by field (the server checks the same and more). */
export function newEndpointProblems(d: NewEndpointDraft, models: readonly ServableModel[], existingEndpoints: readonly string[]): NewEndpointProblems {
  const problems: NewEndpointProblems = {};
  const nameIssue = newEndpointNameProblem(d.name);
  if (d.name && nameIssue) problems.name = nameIssue;
  else if (existingEndpoints.includes(d.name)) problems.name = `an endpoint named '${d.name}' already exists: choose another name, or change its routing on its page`;
  const model = models.find((m) => m.name === d.model);
  if (!model) {
    if (d.model) problems.model = `model '${d.model}' does not exist`;
  } else if (!model.versions.some((v) => v.status === "ready")) problems.model = `model '${d.model}' has no ready version yet: upload one that passes validation first`;
  if (model && !d.target) problems.target = "choose the alias or version to serve";
  for (const issue of endpointConfigIssues(newEndpointConfig(d))) {
    if (issue.path === "description") problems.description = issue.message;
  }
  return problems;
}

/** The form can be sent: every field filled and no problem left. */
export const canCreate = (d: NewEndpointDraft, problems: NewEndpointProblems) => Boolean(d.name && d.model && d.target) && Object.keys(problems).length === 0;
