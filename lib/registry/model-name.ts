/**
 * Model and alias names: 1–63 characters of lowercase letters, digits, '.', '_' and '-', starting with a letter or
 * digit, and no "..". They appear in URLs, CLI arguments and the V2 protocol, never in file paths (artifacts are
 * stored by sha256), but a strict rule keeps every one of those places simple. Uppercase is refused rather than
 * folded so that "Fraud" and "fraud" can never name two different things. Pure.
 */
import { badRequest } from "@/lib/errors";

export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** Names as the registry's messages list them: 'a', 'b'. */
export function quotedNames(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(", ");
}

/** Why a name is not acceptable, or undefined when it is. */
export function nameProblem(name: string, what = "model name"): string | undefined {
  if (!name) return `the ${what} is empty`;
  if (name.length > 63) return `the ${what} is longer than 63 characters`;
  if (/[A-Z]/.test(name) && NAME_PATTERN.test(name.toLowerCase())) {
    return `the ${what} '${name}' has uppercase letters; use lowercase ('${name.toLowerCase()}')`;
  }
  if (!NAME_PATTERN.test(name) || name.includes("..")) {
    return `the ${what} '${name.slice(0, 80)}' is not allowed: use 1–63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit`;
  }
  return undefined;
}

/**
 * Names the dashboard's own pages take: /models/new and /endpoints/new are the forms that create one, so a model or an
 * endpoint of that name could never be opened there. Refused when a model or endpoint is created (one made before the
 * rule keeps working through the API).
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(["new"]);

/**
 * Endpoint names the Open Inference Protocol's paths take: `GET /v2/models/stats` is Triton's statistics of every model
 * (the endpoint name is the protocol's model name), so an endpoint of that name could not have its metadata read.
 */
export const ALL_STATS_NAME = "stats";
export const RESERVED_ENDPOINT_NAMES: ReadonlySet<string> = new Set([ALL_STATS_NAME]);

/** Why a name cannot be given to a new model or endpoint (the name rule, then the reserved names), or undefined. */
export function newNameProblem(name: string, what = "model name"): string | undefined {
  const problem = nameProblem(name, what);
  if (problem) return problem;
  if (RESERVED_NAMES.has(name)) return `the ${what} '${name}' is reserved: it is the address of the dashboard's form for creating one; choose another`;
  return undefined;
}

/** newNameProblem for an endpoint: the protocol's reserved paths too. */
export function newEndpointNameProblem(name: string): string | undefined {
  const problem = newNameProblem(name, "endpoint name");
  if (problem) return problem;
  if (RESERVED_ENDPOINT_NAMES.has(name)) {
    return `the endpoint name '${name}' is reserved: /v2/models/${name} is the data plane's statistics of every endpoint (Triton's statistics extension); choose another`;
  }
  return undefined;
}

/** The name, or a 400 with the reason. */
export function parseModelName(name: string, what = "model name"): string {
  const problem = nameProblem(name, what);
  if (problem) throw badRequest(problem);
  return name;
}

export function parseAliasName(name: string): string {
  return parseModelName(name, "alias name");
}

/** A version number from a URL segment, or a 400. */
export function parseVersionNumber(raw: string | number): number {
  const n = typeof raw === "number" ? raw : /^[0-9]{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1) throw badRequest(`'${String(raw).slice(0, 40)}' is not a version number (1, 2, 3…)`);
  return n;
}
