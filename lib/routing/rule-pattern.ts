/**
 * The regular expressions of routing rules, run by a Thompson-NFA simulation instead of a backtracking engine.
 *
 * Why not `new RegExp`: a rule's regex runs on every request against a value the client chooses, and V8
 * backtracks. Nested quantifiers (`(a+)+$`) are exponential, and even harmless-looking adjacent ones are
 * polynomial: `.*.*.*x` against 256 characters took 1.4 s here. Detecting every risky shape is a losing game,
 * so the automaton below visits each (position, state) pair at most once: time is O(value length × program
 * size), whatever the pattern. The syntax is a subset of JavaScript's (parse-rule-pattern.ts) with the same
 * meaning, so a pattern behaves in the dashboard's tester exactly as on the data plane. Pure.
 */
import { PatternSyntaxError, parseRulePattern, type CharRanges, type PatternNode } from "./parse-rule-pattern";

/** Longest pattern accepted (characters). */
export const MAX_PATTERN_LENGTH = 200;
/**
 * Largest automaton after repetitions like {1,50} are expanded. It bounds the cost per character: the worst
 * pattern of this size, every state alive, costs ~3 ms on a 1,024-character value here; everyday patterns, µs.
 */
export const MAX_PROGRAM_SIZE = 400;
/** Values longer than this are never tested against a regex rule (the rule does not match them). */
export const MAX_REGEX_VALUE_LENGTH = 1024;

const SET = 0;
const SPLIT = 1;
const JMP = 2;
const ASSERT = 3;
const MATCH = 4;

type Instruction =
  | { op: typeof SET; ranges: CharRanges; negate: boolean }
  | { op: typeof SPLIT; x: number; y: number }
  | { op: typeof JMP; x: number }
  | { op: typeof ASSERT; kind: "start" | "end" | "word" | "notWord" }
  | { op: typeof MATCH };

export interface RulePattern {
  readonly source: string;
  /** Whether the pattern matches anywhere in the value, like `RegExp.prototype.test` without flags. */
  test(value: string): boolean;
  /** The automaton's size (instructions once repetitions are expanded); at most MAX_PROGRAM_SIZE. */
  readonly programSize: number;
  /**
   * The (position, state) pairs the last `test` visited: the work it did. The linear bound says at most
   * (value length + 1) × programSize; tests check the bound by counting rather than timing.
   */
  readonly lastVisits: number;
}

/** Why a pattern is refused, or undefined when it is usable. */
export function rulePatternProblem(source: string): string | undefined {
  try {
    compileRulePattern(source);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Compiles a rule's pattern; throws an Error whose message says what to change. */
export function compileRulePattern(source: string): RulePattern {
  if (source.length === 0) throw new Error("is empty; use `present: true` to match any value");
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new Error(`is ${source.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`);
  }
  try {
    new RegExp(source);
  } catch (e) {
    throw new Error(`is not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, "")}`);
  }
  let tree: PatternNode;
  try {
    tree = parseRulePattern(source);
  } catch (e) {
    if (e instanceof PatternSyntaxError) throw new Error(e.message);
    throw e;
  }
  const program = compileProgram(tree);
  const matcher = makeMatcher(program);
  return {
    source,
    test: matcher.test,
    programSize: program.length,
    get lastVisits() {
      return matcher.visits();
    },
  };
}

function compileProgram(tree: PatternNode): Instruction[] {
  const program: Instruction[] = [];
  const emit = (ins: Instruction): number => {
    if (program.length >= MAX_PROGRAM_SIZE) {
      throw new Error(
        `is too complex once its repetitions are expanded (over ${MAX_PROGRAM_SIZE} steps); use smaller counts in {n,m}`,
      );
    }
    program.push(ins);
    return program.length - 1;
  };
  const compile = (node: PatternNode): void => {
    switch (node.type) {
      case "set":
        emit({ op: SET, ranges: node.ranges, negate: node.negate });
        return;
      case "assert":
        emit({ op: ASSERT, kind: node.kind });
        return;
      case "seq":
        node.items.forEach(compile);
        return;
      case "alt": {
        const jumps: Instruction[] = [];
        node.options.forEach((option, i) => {
          if (i === node.options.length - 1) return compile(option);
          const split = { op: SPLIT, x: 0, y: 0 } as Extract<Instruction, { op: typeof SPLIT }>;
          emit(split);
          split.x = program.length;
          compile(option);
          const jmp = { op: JMP, x: 0 } as Extract<Instruction, { op: typeof JMP }>;
          emit(jmp);
          jumps.push(jmp);
          split.y = program.length;
        });
        for (const j of jumps) (j as { x: number }).x = program.length;
        return;
      }
      case "repeat": {
        for (let i = 0; i < node.min; i++) compile(node.node);
        if (node.max === Infinity) {
          const split = { op: SPLIT, x: 0, y: 0 } as Extract<Instruction, { op: typeof SPLIT }>;
          const loop = emit(split);
          split.x = program.length;
          compile(node.node);
          emit({ op: JMP, x: loop });
          split.y = program.length;
          return;
        }
        // Optional copies in a row: for a yes/no answer "e?e?e?" is the same as nested "(e(e(e)?)?)?".
        for (let i = node.min; i < node.max; i++) {
          const split = { op: SPLIT, x: 0, y: 0 } as Extract<Instruction, { op: typeof SPLIT }>;
          emit(split);
          split.x = program.length;
          compile(node.node);
          split.y = program.length;
        }
        return;
      }
    }
  };
  compile(tree);
  emit({ op: MATCH });
  return program;
}

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 95 || (c >= 97 && c <= 122);

function inSet(ins: { ranges: CharRanges; negate: boolean }, c: number): boolean {
  const r = ins.ranges;
  let found = false;
  for (let i = 0; i < r.length; i += 2) {
    if (c < r[i]) break;
    if (c <= r[i + 1]) {
      found = true;
      break;
    }
  }
  return found !== ins.negate;
}

function makeMatcher(program: Instruction[]): { test: (value: string) => boolean; visits: () => number } {
  const size = program.length;
  // Flat arrays: the loop below runs per character per live state, on the request path.
  const op = new Uint8Array(size);
  const x = new Int32Array(size);
  const y = new Int32Array(size);
  const sets: ({ ranges: CharRanges; negate: boolean } | undefined)[] = new Array(size);
  const asserts: string[] = new Array(size);
  program.forEach((ins, pc) => {
    op[pc] = ins.op;
    if (ins.op === SET) sets[pc] = ins;
    else if (ins.op === SPLIT) [x[pc], y[pc]] = [ins.x, ins.y];
    else if (ins.op === JMP) x[pc] = ins.x;
    else if (ins.op === ASSERT) asserts[pc] = ins.kind;
  });
  // Scratch space reused by every call: matching is synchronous, so calls never overlap.
  const mark = new Int32Array(size);
  let current = new Int32Array(size);
  let next = new Int32Array(size);
  const stack = new Int32Array(2 * size + 2);
  let visits = 0;

  const holds = (kind: string, value: string, pos: number): boolean => {
    if (kind === "start") return pos === 0;
    if (kind === "end") return pos === value.length;
    const before = pos > 0 && isWordChar(value.charCodeAt(pos - 1));
    const after = pos < value.length && isWordChar(value.charCodeAt(pos));
    return kind === "word" ? before !== after : before === after;
  };
  /** Adds pc and every state reachable from it without reading a character; -1 on reaching MATCH. */
  const add = (list: Int32Array, count: number, pc: number, value: string, pos: number): number => {
    let top = 0;
    stack[top++] = pc;
    while (top > 0) {
      const at = stack[--top];
      if (mark[at] === pos) continue; // each (position, state) pair is visited once: the linear-time bound
      mark[at] = pos;
      visits++;
      switch (op[at]) {
        case SET:
          list[count++] = at;
          break;
        case JMP:
          stack[top++] = x[at];
          break;
        case SPLIT:
          stack[top++] = y[at];
          stack[top++] = x[at];
          break;
        case ASSERT:
          if (holds(asserts[at], value, pos)) stack[top++] = at + 1;
          break;
        default:
          return -1;
      }
    }
    return count;
  };

  const test = (value: string): boolean => {
    mark.fill(-1);
    visits = 0;
    let count = 0;
    for (let pos = 0; ; pos++) {
      count = add(current, count, 0, value, pos); // unanchored: a new attempt starts at every position
      if (count < 0) return true;
      if (pos === value.length) return false;
      const c = value.charCodeAt(pos);
      let nextCount = 0;
      for (let i = 0; i < count; i++) {
        const pc = current[i];
        if (inSet(sets[pc]!, c)) {
          nextCount = add(next, nextCount, pc + 1, value, pos + 1);
          if (nextCount < 0) return true;
        }
      }
      [current, next] = [next, current];
      count = nextCount;
    }
  };
  return { test, visits: () => visits };
}
