/**
 * How one routing rule judges one request. Returns an outcome code rather than a boolean so the router stays
 * allocation-free and the dashboard's explainer (explain-route.ts) can say why a rule did not match, from the
 * same logic. Pure.
 */
import type { RoutingRule, StickyKey } from "./endpoint-config.schema";
import { MAX_REGEX_VALUE_LENGTH, compileRulePattern, type RulePattern } from "./rule-pattern";

export interface RoutableRequest {
  /** Request headers; Node's `IncomingMessage.headers` (lower-case names) fits as is. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The OIP request's `parameters` object. */
  parameters?: Readonly<Record<string, unknown>>;
  /** A uniform draw in [0, 1) for the weighted choice; Math.random() when absent. Tests inject it. */
  randomKey?: number;
}

export type RuleOutcome =
  | "match"
  | "missing" // the header or parameter is not in the request
  | "mismatch" // present, but the value does not satisfy equals / prefix / regex
  | "not-text" // a parameter that is an object or list: only `present` can match it
  | "too-long" // longer than MAX_REGEX_VALUE_LENGTH: regex rules skip it
  | "invalid-pattern"; // a regex that does not compile (a config that skipped the schema)

/** A header's or parameter's value as text: undefined when absent, null when present but not a scalar. */
export function readKeyValue(source: { header?: string; parameter?: string }, request: RoutableRequest): string | null | undefined {
  if (source.header !== undefined) return readHeader(request.headers, source.header);
  if (source.parameter === undefined || !request.parameters || !Object.hasOwn(request.parameters, source.parameter)) {
    return undefined;
  }
  const value = request.parameters[source.parameter];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return null;
}

function readHeader(headers: RoutableRequest["headers"], name: string): string | undefined {
  let value = Object.hasOwn(headers, name) ? headers[name] : undefined;
  if (value === undefined) {
    // Node lower-cases header names; other callers (tests, the dashboard) may not.
    const lower = name.toLowerCase();
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === lower) {
        value = headers[key];
        break;
      }
    }
  }
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : value.join(", ");
}

/** The sticky key's value, or undefined when the request has none (an empty value counts as none). */
export function readStickyKey(sticky: StickyKey | undefined, request: RoutableRequest): string | undefined {
  if (!sticky) return undefined;
  const value = readKeyValue(sticky, request);
  return typeof value === "string" && value !== "" ? value : undefined;
}

// Compiled once per rule object; the source is re-checked so an edited rule never runs a stale pattern.
const compiled = new WeakMap<RoutingRule, { source: string; pattern: RulePattern | null }>();

function patternOf(rule: RoutingRule): RulePattern | null {
  const source = rule.regex ?? "";
  const cached = compiled.get(rule);
  if (cached && cached.source === source) return cached.pattern;
  let pattern: RulePattern | null;
  try {
    pattern = compileRulePattern(source);
  } catch {
    pattern = null;
  }
  compiled.set(rule, { source, pattern });
  return pattern;
}

export function matchRule(rule: RoutingRule, request: RoutableRequest): RuleOutcome {
  const value = readKeyValue(rule, request);
  if (value === undefined) return "missing";
  if (rule.present) return "match";
  if (value === null) return "not-text";
  if (rule.equals !== undefined) return value === rule.equals ? "match" : "mismatch";
  if (rule.prefix !== undefined) return value.startsWith(rule.prefix) ? "match" : "mismatch";
  if (rule.regex !== undefined) {
    const pattern = patternOf(rule);
    if (!pattern) return "invalid-pattern";
    if (value.length > MAX_REGEX_VALUE_LENGTH) return "too-long";
    return pattern.test(value) ? "match" : "mismatch";
  }
  return "mismatch";
}
