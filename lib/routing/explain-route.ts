/**
 * "Test a sample header set" for the routing editor: the same decision as routeRequest, with the reasons a person
 * needs ("rule 2 did not match: header x-segment is "alpha", not "beta"") and the sentence the dashboard shows
 * ("this request goes to candidate (v4)"). Pure; runs in the browser as well as on the server.
 */
import type { EndpointConfig, RoutingRule } from "./endpoint-config.schema";
import { hashToUnit } from "./hash-to-unit";
import { matchRule, readKeyValue, readStickyKey, type RoutableRequest, type RuleOutcome } from "./match-rule";
import { MAX_REGEX_VALUE_LENGTH } from "./rule-pattern";
import { routeRequest, versionOf, weightRanges, type RouteDecision } from "./route-request";

export interface RuleVerdict {
  /** Index into config.rules (the dashboard shows it as "rule {index + 1}"). */
  index: number;
  variant: string;
  outcome: RuleOutcome;
  /** e.g. `header x-segment is "alpha", not "beta"`. */
  detail: string;
}

export interface RouteExplanation extends RouteDecision {
  /** The rules in order, up to and including the one that matched; rules after it were not consulted. */
  rules: RuleVerdict[];
  /** Where the sticky key is read from, and what this request carries there. */
  sticky?: { source: "header" | "parameter"; name: string; value?: string; point?: number };
  /** Every variant's share of the weighted traffic, in routing order. */
  shares: { variant: string; version: number; share: number }[];
  /** True when the same request always gets the same answer (a rule or a sticky key decided). */
  deterministic: boolean;
  summary: string;
}

const quote = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
const keyLabel = (source: { header?: string; parameter?: string }) =>
  source.header !== undefined ? `header ${source.header}` : `parameter ${source.parameter}`;
const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;

function condition(rule: RoutingRule): string {
  if (rule.present) return "is present";
  if (rule.equals !== undefined) return `equals ${quote(rule.equals)}`;
  if (rule.prefix !== undefined) return `starts with ${quote(rule.prefix)}`;
  return `matches /${rule.regex}/`;
}

function describeRule(rule: RoutingRule, outcome: RuleOutcome, request: RoutableRequest): string {
  const key = keyLabel(rule);
  const value = readKeyValue(rule, request);
  switch (outcome) {
    case "match":
      return `${key} ${condition(rule)}`;
    case "missing":
      return `${key} is not in the request`;
    case "not-text":
      return `${key} is an object or a list; only "present: true" can match it`;
    case "too-long":
      return `${key} is longer than ${MAX_REGEX_VALUE_LENGTH} characters; regex rules do not test such values`;
    case "invalid-pattern":
      return `the regex /${rule.regex}/ is invalid, so this rule never matches`;
    case "mismatch": {
      const text = quote(value ?? "");
      if (rule.equals !== undefined) return `${key} is ${text}, not ${quote(rule.equals)}`;
      if (rule.prefix !== undefined) return `${key} is ${text}, which does not start with ${quote(rule.prefix)}`;
      return `${key} is ${text}, which does not match /${rule.regex}/`;
    }
  }
}

export function explainRoute(
  config: Pick<EndpointConfig, "variants" | "rules" | "sticky">,
  resolved: { variantVersions: Readonly<Record<string, number>> },
  request: RoutableRequest,
): RouteExplanation {
  const decision = routeRequest(config, resolved, request);
  const rules: RuleVerdict[] = [];
  for (const [index, rule] of (config.rules ?? []).entries()) {
    const outcome = matchRule(rule, request);
    rules.push({ index, variant: rule.variant, outcome, detail: describeRule(rule, outcome, request) });
    if (outcome === "match") break;
  }
  const shares = weightRanges(config.variants).map((r) => ({ variant: r.variant, version: versionOf(resolved, r.variant), share: r.share }));
  const goesTo = `this request goes to ${decision.variant} (v${decision.version})`;
  const explanation: RouteExplanation = { ...decision, rules, shares, deterministic: decision.reason !== "weight", summary: "" };

  const sticky = config.sticky;
  const stickyValue = readStickyKey(sticky, request);
  if (sticky) {
    explanation.sticky = {
      source: sticky.header !== undefined ? "header" : "parameter",
      name: (sticky.header ?? sticky.parameter)!,
      ...(stickyValue !== undefined ? { value: stickyValue, point: hashToUnit(stickyValue) } : {}),
    };
  }

  const noRule = rules.length === 0 ? "there are no rules" : "no rule matched";
  if (decision.reason === "rule") {
    explanation.summary = `${goesTo}: rule ${decision.ruleIndex! + 1} matched (${rules.at(-1)!.detail})`;
  } else if (decision.reason === "sticky") {
    explanation.summary = `${goesTo}: ${noRule}, and the sticky key (${keyLabel(sticky!)} = ${quote(stickyValue!)}) always lands on ${decision.variant}`;
  } else {
    const split = shares
      .filter((s) => s.share > 0)
      .map((s) => `${percent(s.share)} to ${s.variant} (v${s.version})`)
      .join(", ");
    const why = sticky ? `${noRule} and the request has no sticky key (${keyLabel(sticky)})` : noRule;
    explanation.summary = split.includes(",")
      ? `${why}, so the weights decide: ${split}`
      : `${goesTo}: ${why}, and all weighted traffic goes to ${decision.variant}`;
  }
  return explanation;
}
