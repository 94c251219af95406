/**
 * Parser for the regular expressions of routing rules: a subset of JavaScript's syntax (no flags) that a
 * linear-time automaton can run (see rule-pattern.ts). Everything it accepts means exactly what `new RegExp(p)`
 * means; what it cannot run in linear time (backreferences, lookarounds) it refuses with a reason. Pure.
 */

/** Sorted inclusive UTF-16 code-unit ranges [lo0, hi0, lo1, hi1, …]. */
export type CharRanges = number[];

export type PatternNode =
  | { type: "set"; ranges: CharRanges; negate: boolean }
  | { type: "assert"; kind: "start" | "end" | "word" | "notWord" }
  | { type: "seq"; items: PatternNode[] }
  | { type: "alt"; options: PatternNode[] }
  | { type: "repeat"; node: PatternNode; min: number; max: number }; // max = Infinity for * + {n,}

/** Repetition counts above this are refused: they would blow up the automaton, and no header rule needs them. */
export const MAX_REPEAT_COUNT = 100;

export class PatternSyntaxError extends Error {}

const DIGIT: CharRanges = [48, 57];
const WORD: CharRanges = [48, 57, 65, 90, 95, 95, 97, 122];
const SPACE: CharRanges = [
  9, 13, 32, 32, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f,
  0x3000, 0x3000, 0xfeff, 0xfeff,
];
const LINE_TERMINATORS: CharRanges = [10, 10, 13, 13, 0x2028, 0x2029];

export function complementRanges(ranges: CharRanges): CharRanges {
  const out: CharRanges = [];
  let next = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    if (ranges[i] > next) out.push(next, ranges[i] - 1);
    next = Math.max(next, ranges[i + 1] + 1);
  }
  if (next <= 0xffff) out.push(next, 0xffff);
  return out;
}

function normalizeRanges(ranges: CharRanges): CharRanges {
  const pairs: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i], ranges[i + 1]]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: CharRanges = [];
  for (const [lo, hi] of pairs) {
    const last = out.length - 1;
    if (last > 0 && lo <= out[last] + 1) out[last] = Math.max(out[last], hi);
    else out.push(lo, hi);
  }
  return out;
}

const CLASS_ESCAPES: Record<string, CharRanges> = {
  d: DIGIT,
  D: complementRanges(DIGIT),
  w: WORD,
  W: complementRanges(WORD),
  s: SPACE,
  S: complementRanges(SPACE),
};
const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };

export function parseRulePattern(source: string): PatternNode {
  let pos = 0;
  /** `at` is the 0-based index of the offending character. */
  const fail = (why: string, at = pos): never => {
    throw new PatternSyntaxError(`${why} (at character ${at + 1})`);
  };
  const peek = () => source[pos];

  function parseAlternation(): PatternNode {
    const options = [parseSequence()];
    while (peek() === "|") {
      pos++;
      options.push(parseSequence());
    }
    return options.length === 1 ? options[0] : { type: "alt", options };
  }

  function parseSequence(): PatternNode {
    const items: PatternNode[] = [];
    while (pos < source.length && peek() !== "|" && peek() !== ")") {
      const atom = parseAtom();
      items.push(parseQuantifier(atom));
    }
    return { type: "seq", items };
  }

  function parseQuantifier(atom: PatternNode): PatternNode {
    let min: number;
    let max: number;
    const c = peek();
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(pos));
      if (!m) return fail("has a '{' that is not a repetition like {2} or {1,3}; write \\{ for a literal brace");
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      if (min > MAX_REPEAT_COUNT || (max !== Infinity && max > MAX_REPEAT_COUNT)) {
        return fail(`repetition counts above ${MAX_REPEAT_COUNT} are not supported`);
      }
      pos += m[0].length - 1;
    } else return atom;
    pos++;
    if (atom.type === "assert") fail("nothing to repeat", pos - 1);
    if (peek() === "?") pos++; // lazy: the same answer for a yes/no match
    if (peek() === "*" || peek() === "+" || peek() === "?" || peek() === "{") fail("nothing to repeat");
    return { type: "repeat", node: atom, min, max };
  }

  function parseAtom(): PatternNode {
    const c = source[pos++];
    switch (c) {
      case "^":
        return { type: "assert", kind: "start" };
      case "$":
        return { type: "assert", kind: "end" };
      case ".":
        return { type: "set", ranges: LINE_TERMINATORS, negate: true };
      case "[":
        return parseClass();
      case "(": {
        if (source.startsWith("?:", pos)) pos += 2;
        else if (/^\?<[A-Za-z_$][\w$]*>/.test(source.slice(pos))) pos = source.indexOf(">", pos) + 1;
        else if (peek() === "?") fail("lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported", pos - 1);
        const inner = parseAlternation();
        if (source[pos++] !== ")") fail("unterminated group");
        return inner;
      }
      case ")":
        return fail("unmatched ')'", pos - 1);
      case "*":
      case "+":
      case "?":
        return fail("nothing to repeat", pos - 1);
      case "{":
        return fail("has a '{' that is not a repetition; write \\{ for a literal brace", pos - 1);
      case "\\":
        return parseEscape(false);
      default:
        return literal(c.charCodeAt(0));
    }
  }

  function literal(code: number): PatternNode {
    return { type: "set", ranges: [code, code], negate: false };
  }

  /** An escape after '\'; inside a class, \b is a backspace and word assertions do not exist. */
  function parseEscape(inClass: boolean): PatternNode {
    const start = pos - 1; // the backslash
    const c = source[pos++];
    if (c === undefined) return fail("ends with a lone backslash", start);
    if (CLASS_ESCAPES[c]) return { type: "set", ranges: CLASS_ESCAPES[c], negate: false };
    if (CONTROL_ESCAPES[c] !== undefined) return literal(CONTROL_ESCAPES[c]);
    if (c === "b") return inClass ? literal(8) : { type: "assert", kind: "word" };
    if (c === "B" && !inClass) return { type: "assert", kind: "notWord" };
    if (c === "0" && !/[0-9]/.test(peek() ?? "")) return literal(0);
    if (/[1-9]/.test(c)) return fail("backreferences (\\1, \\2…) are not supported", start);
    if (c === "x" || c === "u") {
      const len = c === "x" ? 2 : 4;
      const hex = source.slice(pos, pos + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) return fail(`\\${c} must be followed by ${len} hex digits`, start);
      pos += len;
      return literal(parseInt(hex, 16));
    }
    if (/[A-Za-z0-9_]/.test(c)) return fail(`\\${c} is not a supported escape`, start);
    return literal(c.charCodeAt(0));
  }

  function parseClass(): PatternNode {
    const negate = peek() === "^";
    if (negate) pos++;
    const ranges: CharRanges = [];
    // One class member: a single code unit, or a whole set (\d, \w…) that cannot end a range.
    const member = (): { code?: number; set?: CharRanges } => {
      const c = source[pos++];
      if (c === undefined) return fail("unterminated character class");
      if (c !== "\\") return { code: c.charCodeAt(0) };
      const node = parseEscape(true);
      if (node.type !== "set") return fail("unsupported escape in a character class");
      if (node.ranges.length === 2 && node.ranges[0] === node.ranges[1] && !node.negate) return { code: node.ranges[0] };
      return { set: node.ranges };
    };
    while (peek() !== "]") {
      const first = member();
      if (peek() === "-" && source[pos + 1] !== "]" && source[pos + 1] !== undefined) {
        pos++;
        const second = member();
        if (first.code !== undefined && second.code !== undefined) {
          if (second.code < first.code) fail("has a range out of order in a character class");
          ranges.push(first.code, second.code);
          continue;
        }
        // JavaScript reads "[\d-z]" as \d, '-' and 'z'.
        for (const m of [first, second]) {
          if (m.set) ranges.push(...m.set);
          else ranges.push(m.code!, m.code!);
        }
        ranges.push(45, 45);
        continue;
      }
      if (first.set) ranges.push(...first.set);
      else ranges.push(first.code!, first.code!);
    }
    pos++;
    return { type: "set", ranges: normalizeRanges(ranges), negate };
  }

  const tree = parseAlternation();
  if (pos < source.length) fail("unmatched ')'");
  return tree;
}
