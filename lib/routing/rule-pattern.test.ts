import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MAX_PATTERN_LENGTH, MAX_REGEX_VALUE_LENGTH, compileRulePattern, rulePatternProblem } from "./rule-pattern";

const UNBOUNDED = /\*|\+|\{1,\}/;

/** Patterns of the supported subset, built from pieces so every one is valid JavaScript too. */
const atom: fc.Arbitrary<string> = fc.constantFrom(
  "a", "b", "c", "1", "-", ".", "\\d", "\\w", "\\s", "\\W", "[ab]", "[^a]", "[a-c]", "[\\d-]", "\\.", "\\-",
);
const pattern: fc.Arbitrary<string> = fc.letrec<{ expr: string; term: string }>((tie) => ({
  term: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    atom,
    atom,
    fc.constantFrom("^", "$", "\\b", "\\B"),
    fc.tuple(tie("expr"), fc.constantFrom("(", "(?:")).map(([e, open]) => `${open}${e})`),
  ),
  expr: fc
    .tuple(
      fc.array(
        fc.tuple(tie("term"), fc.constantFrom("", "", "*", "+", "?", "{2}", "{0,2}", "{1,}", "*?")).map(([t, q]) => {
          if (/^(\^|\$|\\b|\\B)$/.test(t)) return t;
          // No unbounded quantifier on a group that holds one: `((a*)*)*` sends the oracle, JavaScript's backtracking
          // RegExp, into exponential time (seen: a run that never ended) — the very reason this engine exists.
          return t.startsWith("(") && UNBOUNDED.test(t) && UNBOUNDED.test(q) ? `${t}?` : t + q;
        }),
        { minLength: 0, maxLength: 4 },
      ),
      fc.option(tie("expr"), { nil: undefined, freq: 4 }),
    )
    .map(([terms, alt]) => terms.join("") + (alt === undefined ? "" : `|${alt}`)),
}))
  .expr.filter((p) => p.length > 0 && p.length <= MAX_PATTERN_LENGTH);

// Short values keep the oracle's backtracking polynomial blow-ups (nested bounded repeats of `a*`) small.
const value = fc.string({ unit: fc.constantFrom("a", "b", "c", "1", "-", " ", ".", "_"), maxLength: 8 });

describe("compileRulePattern", () => {
  it("agrees with JavaScript's RegExp on the subset it accepts", () => {
    fc.assert(
      fc.property(pattern, fc.array(value, { minLength: 1, maxLength: 8 }), (source, values) => {
        // Deep random nesting can exceed the automaton's size limit; those are refused, not mis-matched.
        fc.pre(!rulePatternProblem(source)?.includes("too complex"));
        const ours = compileRulePattern(source);
        const theirs = new RegExp(source);
        for (const v of values) expect(ours.test(v), `/${source}/ on ${JSON.stringify(v)}`).toBe(theirs.test(v));
      }),
      { numRuns: 600 },
    );
  }, 20_000);

  it("matches the everyday header patterns", () => {
    const mobile = compileRulePattern("^Mozilla/.*(iPhone|Android)");
    expect(mobile.test("Mozilla/5.0 (Linux; Android 14)")).toBe(true);
    expect(mobile.test("curl/8.0 Android")).toBe(false);
    const tenant = compileRulePattern("^tenant-[0-9]{2,4}$");
    expect(tenant.test("tenant-042")).toBe(true);
    expect(tenant.test("tenant-1")).toBe(false);
    expect(compileRulePattern("\\u00e9t\\x65").test("éte")).toBe(true);
  });

  it("does linear work on inputs that make backtracking engines explode (counted, not timed)", () => {
    const evil = "a".repeat(MAX_REGEX_VALUE_LENGTH) + "!";
    for (const source of ["(a+)+$", "^(a|a)*$", "(a*)*b", ".*.*.*.*x", "\\w*\\w*\\w*x$", "^(a|aa)+$", "((a?){19}){10}b"]) {
      const p = compileRulePattern(source);
      expect(p.test(evil), source).toBe(false);
      const visits = p.lastVisits;
      // Each (position, state) pair at most once: the bound the engine exists for.
      expect(visits, source).toBeLessThanOrEqual((evil.length + 1) * p.programSize);
      // Twice the value, at most twice the work (plus the states of one position): linear, where a backtracking
      // engine's work would square or explode.
      const half = "a".repeat(MAX_REGEX_VALUE_LENGTH / 2) + "!";
      expect(p.test(half), source).toBe(false);
      expect(visits, source).toBeLessThanOrEqual(2 * p.lastVisits + p.programSize);
    }
    expect(compileRulePattern("(a+)+$").test("a".repeat(30))).toBe(true);
    // The largest automaton allowed keeps every state alive at once: the bound is reached, not just respected.
    const widest = compileRulePattern("((a?){19}){10}b");
    widest.test(evil);
    expect(widest.lastVisits).toBeGreaterThan(0.5 * evil.length * widest.programSize);
  });

  it("refuses invalid, over-long and unsupported patterns with a reason", () => {
    expect(rulePatternProblem("(abc")).toMatch(/^is not a valid regular expression: /);
    expect(rulePatternProblem("a**")).toMatch(/^is not a valid regular expression/);
    expect(rulePatternProblem("x".repeat(MAX_PATTERN_LENGTH + 1))).toBe("is 201 characters long; the limit is 200");
    expect(rulePatternProblem("")).toMatch(/use `present: true`/);
    expect(rulePatternProblem("(a)\\1")).toMatch(/backreferences/);
    expect(rulePatternProblem("foo(?=bar)")).toMatch(/lookahead and lookbehind/);
    expect(rulePatternProblem("a{1000}")).toMatch(/repetition counts above 100/);
    expect(rulePatternProblem("((a{1,100}){1,100}){1,100}")).toMatch(/too complex/);
    expect(rulePatternProblem("a{,5}")).toMatch(/literal brace/);
    expect(rulePatternProblem("\\p{L}")).toMatch(/\\p is not a supported escape/);
    expect(rulePatternProblem("^beta(-\\d+)?$")).toBeUndefined();
  });
});
