/**
 * The routing editor's draft: form-shaped state (strings where a person types) ↔ an endpoint config body, plus the
 * live share of each variant. Pure, so it is unit-tested without a browser; the editor only draws it.
 */
import type { EndpointConfigInput } from "@/lib/routing/endpoint-config.schema";

export type MatchKind = "equals" | "prefix" | "regex" | "present";

export interface DraftVariant {
  /** Stable React key; not saved. */
  key: string;
  name: string;
  /** "v:3" or "a:production". */
  target: string;
  weight: number;
}

export interface DraftRule {
  key: string;
  source: "header" | "parameter";
  name: string;
  match: MatchKind;
  value: string;
  variant: string;
}

export interface Draft {
  model: string;
  description?: string;
  variants: DraftVariant[];
  rules: DraftRule[];
  sticky: { source: "none" | "header" | "parameter"; name: string };
  shadow: { enabled: boolean; target: string; percent: number };
  rollout: { enabled: boolean; candidateVersion: string; steps: string; bakeSeconds: number; maxErrorRateRatio: string; maxP95LatencyRatio: string; minRequests: string; maxDriftShare: string; maxShadowDisagreement: string };
  /** Fields the editor does not show (batching, limits, …), saved back unchanged. */
  passthrough: Record<string, unknown>;
}

let counter = 0;
export const newKey = () => `k${++counter}`;

const targetOf = (t: { version?: number; alias?: string }) => (t.alias !== undefined ? `a:${t.alias}` : t.version !== undefined ? `v:${t.version}` : "");
export function fromTarget(target: string): { version: number } | { alias: string } | Record<string, never> {
  if (target.startsWith("a:")) return { alias: target.slice(2) };
  if (target.startsWith("v:") && /^\d+$/.test(target.slice(2))) return { version: Number(target.slice(2)) };
  return {};
}
const num = (s: string) => (s.trim() === "" ? undefined : Number(s));

type AnyConfig = Record<string, unknown> & {
  model?: string;
  description?: string;
  variants?: { name: string; version?: number; alias?: string; weight: number }[];
  rules?: ({ header?: string; parameter?: string; variant: string } & Partial<Record<MatchKind, unknown>>)[];
  sticky?: { header?: string; parameter?: string };
  shadow?: { version?: number; alias?: string; percent: number };
  rollout?: { candidateVersion?: number; candidateVariant?: string; steps?: number[]; bakeSeconds?: number; guards?: Record<string, number | undefined> };
};

export function draftFromConfig(input: unknown, modelName: string): Draft {
  const c = (input ?? {}) as AnyConfig;
  const { model: _m, description, variants, rules, sticky, shadow, rollout, generation: _g, ...passthrough } = c;
  const candidateVersion = rollout?.candidateVersion ?? variants?.find((v) => v.name === rollout?.candidateVariant)?.version;
  const g = rollout?.guards ?? {};
  const str = (n: number | undefined) => (n === undefined ? "" : String(n));
  return {
    model: c.model ?? modelName,
    ...(description !== undefined ? { description } : {}),
    variants: (variants ?? []).map((v) => ({ key: newKey(), name: v.name, target: targetOf(v), weight: v.weight })),
    rules: (rules ?? []).map((r) => {
      const match: MatchKind = r.present ? "present" : r.prefix !== undefined ? "prefix" : r.regex !== undefined ? "regex" : "equals";
      return {
        key: newKey(),
        source: r.parameter !== undefined ? "parameter" : "header",
        name: (r.header ?? r.parameter ?? "") as string,
        match,
        value: match === "present" ? "" : String(r[match] ?? ""),
        variant: r.variant,
      };
    }),
    sticky: sticky?.header !== undefined ? { source: "header", name: sticky.header } : sticky?.parameter !== undefined ? { source: "parameter", name: sticky.parameter } : { source: "none", name: "" },
    shadow: shadow ? { enabled: true, target: targetOf(shadow), percent: shadow.percent } : { enabled: false, target: "", percent: 10 },
    rollout: {
      enabled: !!rollout,
      candidateVersion: str(candidateVersion),
      steps: (rollout?.steps ?? [5, 25, 50, 100]).join(", "),
      bakeSeconds: rollout?.bakeSeconds ?? 300,
      maxErrorRateRatio: str(g.maxErrorRateRatio),
      maxP95LatencyRatio: str(g.maxP95LatencyRatio),
      minRequests: str(g.minRequests),
      maxDriftShare: str(g.maxDriftShare),
      maxShadowDisagreement: str(g.maxShadowDisagreement),
    },
    passthrough,
  };
}

/** The body the editor validates and PUTs (without generation). Numbers typed as text become numbers (or NaN, which the schema reports). */
export function configFromDraft(d: Draft): EndpointConfigInput {
  const config: Record<string, unknown> = {
    ...d.passthrough,
    model: d.model,
    ...(d.description !== undefined ? { description: d.description } : {}),
    variants: d.variants.map((v) => ({ name: v.name, ...fromTarget(v.target), weight: v.weight })),
  };
  if (d.rules.length) {
    config.rules = d.rules.map((r) => ({ [r.source]: r.name, ...(r.match === "present" ? { present: true } : { [r.match]: r.value }), variant: r.variant }));
  }
  if (d.sticky.source !== "none") config.sticky = { [d.sticky.source]: d.sticky.name };
  if (d.shadow.enabled) config.shadow = { ...fromTarget(d.shadow.target), percent: d.shadow.percent };
  if (d.rollout.enabled) {
    const r = d.rollout;
    const guards = Object.fromEntries(
      (["maxErrorRateRatio", "maxP95LatencyRatio", "minRequests", "maxDriftShare", "maxShadowDisagreement"] as const)
        .map((k) => [k, num(r[k])] as const)
        .filter(([, v]) => v !== undefined),
    );
    config.rollout = {
      candidateVersion: num(r.candidateVersion),
      steps: r.steps.split(/[\s,→>]+/).filter(Boolean).map(Number),
      bakeSeconds: r.bakeSeconds,
      ...(Object.keys(guards).length ? { guards } : {}),
    };
  }
  return config as EndpointConfigInput;
}

/** Each variant's share of weighted traffic, as the router computes it (weight / sum). */
export function variantShares(variants: readonly { name: string; weight: number }[]): Record<string, number> {
  const total = variants.reduce((s, v) => s + (Number.isFinite(v.weight) && v.weight > 0 ? v.weight : 0), 0);
  return Object.fromEntries(variants.map((v) => [v.name, total > 0 && v.weight > 0 ? v.weight / total : 0]));
}

/** "80 %", "33.3 %", "0 %". */
export function formatShare(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}

export function moveItem<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= list.length) return [...list];
  const next = [...list];
  [next[index], next[to]] = [next[to], next[index]];
  return next;
}

/** "x-user-id: 42" lines → a header object (later lines win; lines without a colon are ignored). */
export function parseHeaderLines(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    if (name) headers[name] = line.slice(i + 1).trim();
  }
  return headers;
}
