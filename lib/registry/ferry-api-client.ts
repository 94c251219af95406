/**
 * The CLI's way to the control-plane API: FERRY_URL (default http://127.0.0.1:3000) and FERRY_TOKEN, JSON in and
 * out, and errors that say what to do. Pure (fetch only).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { ModelSignature, TensorSpec } from "@/lib/tensor/datatypes";
import { labelSummary } from "./class-labels";

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = "CliError";
  }
}

export interface ApiClientOptions {
  url?: string;
  token?: string;
}

export function apiClient(opts: ApiClientOptions = {}) {
  const base = (opts.url ?? process.env.FERRY_URL ?? "http://127.0.0.1:3000").replace(/\/+$/, "");
  const token = opts.token ?? process.env.FERRY_TOKEN;

  /** The HTTP exchange itself: a missing token and an unreachable server become the CLI's errors. */
  async function send(method: string, path: string, headers: Record<string, string>, body?: BodyInit | ReadableStream<Uint8Array>): Promise<Response> {
    if (!token) throw new CliError("FERRY_TOKEN is not set: create an operator token (ferry token create --name ci --role operator) and export it", 2);
    try {
      return await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...headers }, body: body as BodyInit, duplex: "half" } as RequestInit);
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`cannot reach Ferry at ${base} (${cause?.code ?? cause?.message ?? (e as Error).message}); set FERRY_URL`, 3);
    }
  }

  const jsonOf = (text: string): Record<string, unknown> => {
    try {
      return text ? JSON.parse(text) : {};
    } catch {
      return { error: text.slice(0, 300) };
    }
  };

  async function request(method: string, path: string, init: { json?: unknown; body?: ReadableStream<Uint8Array>; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { accept: "application/json", ...init.headers };
    let body: BodyInit | ReadableStream<Uint8Array> | undefined = init.body;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    }
    const res = await send(method, path, headers, body);
    return { status: res.status, ok: res.ok, data: jsonOf(await res.text()) };
  }

  /** A GET whose answer is not JSON (a download): the response, once it is known to be a success. */
  async function download(path: string): Promise<Response> {
    const res = await send("GET", path, {});
    if (!res.ok) throw failure(res.status, jsonOf(await res.text()));
    return res;
  }

  return { base, request, download };
}

export function failure(status: number, data: Record<string, unknown>): CliError {
  const message = typeof data.error === "string" ? data.error : `HTTP ${status}`;
  const hint = status === 401 ? " (is FERRY_TOKEN right?)" : status === 403 ? " (the token needs the operator role and the write scope)" : "";
  return new CliError(`${message}${hint}`, 1);
}

export function formatSignature(sig: unknown): string {
  const s = sig as Partial<ModelSignature> | null;
  if (!s) return "";
  const line = (kind: string, t: TensorSpec) => {
    const labels = kind === "output" ? s.labels?.[t.name] : undefined;
    return `  ${kind.padEnd(6)} ${t.name.padEnd(24)} ${t.datatype.padEnd(6)} [${t.shape.join(", ")}]${labels ? `  labels: ${labelSummary(labels)}` : ""}`;
  };
  return [...(s.inputs ?? []).map((t) => line("input", t)), ...(s.outputs ?? []).map((t) => line("output", t))].join("\n");
}

/** The exit code for an error a `ferry` subcommand caught (after printing it), or rethrows what is not the user's. */
export function cliExitCode(command: string, usage: string, e: unknown): number {
  if ((e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    console.error(`ferry ${command}: ${(e as Error).message}\n${usage}`);
    return 2;
  }
  if (e instanceof CliError) {
    console.error(`ferry ${command}: ${e.message}`);
    return e.exitCode;
  }
  throw e;
}

type Options = NonNullable<ParseArgsConfig["options"]>;
type CommandArgs<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O }>>;

/**
 * A `ferry` subcommand's `run`: its arguments parsed with node:util's parseArgs (positionals allowed), and what it
 * throws turned into a message and an exit code (cliExitCode).
 */
export function cliCommand<O extends Options>(command: string, usage: string, options: O, body: (args: CommandArgs<O>) => Promise<number>) {
  return async (argv: string[]): Promise<number> => {
    try {
      return await body(parseArgs({ args: argv, allowPositionals: true, options }) as CommandArgs<O>);
    } catch (e) {
      return cliExitCode(command, usage, e);
    }
  };
}
