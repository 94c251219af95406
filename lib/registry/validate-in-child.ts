/**
 * Runs model validation in a separate Node process with a time limit, a V8 heap limit and a resident-memory guard,
 * so that a file that crashes onnxruntime, loops or eats memory fails the upload instead of taking the web process
 * (or the data plane sharing it) down. The child is a plain TypeScript file run with tsx — never code from the Next.js
 * bundle — found from the working directory (the repository root under `ferry start`, Next and vitest).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { RESULT_MARKER, type ValidationRequest, type ValidationResult } from "./validation-result";

export interface ValidateInChildOptions extends ValidationRequest {
  /** Kill after this long; default FERRY_VALIDATION_TIMEOUT_MS or 30 s. */
  timeoutMs?: number;
  /** V8 old-space limit of the child (MiB). */
  maxOldSpaceMb?: number;
  /** Kill when the child's resident memory (native allocations included) exceeds this; default 2 GiB. */
  maxRssBytes?: number;
  /** Override the child entry (tests). */
  childPath?: string;
}

export type ValidationOutcome = ValidationResult & { validationMs: number };

const MAX_PARALLEL = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function rssBytes(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function defaultChildPath(): string {
  return path.join(process.cwd(), "lib", "registry", "validator-child.ts");
}

export function validateInChild(opts: ValidateInChildOptions): Promise<ValidationOutcome> {
  return slot(() => runChild(opts));
}

function runChild(opts: ValidateInChildOptions): Promise<ValidationOutcome> {
  const timeoutMs = opts.timeoutMs ?? (Number(process.env.FERRY_VALIDATION_TIMEOUT_MS) || 30_000);
  const maxOldSpaceMb = opts.maxOldSpaceMb ?? 1024;
  const maxRssBytes = opts.maxRssBytes ?? 2 * 1024 ** 3;
  const request: ValidationRequest = { modelPath: opts.modelPath, referencePath: opts.referencePath, referenceFormat: opts.referenceFormat };
  const started = Date.now();
  // Only what node and tsx need: the child never sees database URLs or secrets.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, NODE_ENV: "production", LANG: "C" };

  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${maxOldSpaceMb}`, "--import", "tsx", opts.childPath ?? defaultChildPath(), JSON.stringify(request)],
      { cwd: process.cwd(), env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    let killedFor: string | undefined;
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      if (stdout.length < 64 * 1024 * 1024) stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr = (stderr + d).slice(-4000);
    });
    const kill = (why: string) => {
      if (killedFor) return;
      killedFor = why;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => kill(`validation timed out after ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    const memory = setInterval(() => {
      const rss = child.pid ? rssBytes(child.pid) : undefined;
      if (rss !== undefined && rss > maxRssBytes) {
        kill(`the validator used more than ${Math.round(maxRssBytes / 1024 ** 2)} MiB of memory while loading the model`);
      }
    }, 100);

    const finish = (result: ValidationResult) => {
      clearTimeout(timer);
      clearInterval(memory);
      resolve({ ...result, validationMs: Date.now() - started });
    };
    child.on("error", (e) => finish({ ok: false, reason: `the validator could not start (${e.message})` }));
    child.on("close", (code, signal) => {
      if (killedFor) return finish({ ok: false, reason: killedFor });
      const line = stdout.split("\n").reverse().find((l) => l.startsWith(RESULT_MARKER));
      if (code === 0 && line) {
        try {
          return finish(JSON.parse(line.slice(RESULT_MARKER.length)) as ValidationResult);
        } catch {
          // fall through: a garbled answer is a crash
        }
      }
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      const hint = lastMeaningfulLine(stderr);
      finish({ ok: false, reason: `the validator crashed while loading the model (${how}${hint ? `: ${hint}` : ""})` });
    });
  });
}

function lastMeaningfulLine(stderr: string): string | undefined {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("at ") && !/^Node\.js v/.test(l));
  const line = lines.find((l) => /error/i.test(l)) ?? lines[lines.length - 1];
  return line?.slice(0, 300);
}
