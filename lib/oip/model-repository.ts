/**
 * Triton's model repository extension, as far as it fits Ferry: `POST /v2/repository/index` lists every endpoint this
 * data plane knows (the endpoint name is the protocol's model name) with each version it serves or is loading and its
 * state; tritonclient's `get_model_repository_index` reads it. Loading and unloading by hand (`…/load`, `…/unload`) is
 * refused as Triton refuses it outside its explicit model-control mode: Ferry loads exactly what endpoints route to, so
 * the endpoint's routing is the control. Pure.
 */
import { byNameThenVersion } from "./metadata";
import { OipError } from "./oip-error";

export interface RepositoryEntry {
  name: string;
  version: string;
  state: "READY" | "LOADING" | "UNLOADING" | "UNAVAILABLE";
  reason: string;
}

/** What a data plane does with a version (session-manager's states, plus "draining" once no config routes to it). */
const STATES: Record<string, RepositoryEntry["state"]> = {
  ready: "READY",
  loading: "LOADING",
  warming: "LOADING",
  draining: "UNLOADING",
  failed: "UNAVAILABLE",
};

/** The index, by name then version; `ready` (the request's field) keeps only the versions that can answer. */
export function repositoryIndex(versions: readonly { endpoint: string; version: number; state: string; message?: string }[], o: { ready: boolean }): RepositoryEntry[] {
  return versions
    .map((v) => ({ name: v.endpoint, version: v.version, state: STATES[v.state] ?? "UNAVAILABLE", reason: v.state === "failed" ? (v.message ?? "") : "" }))
    .filter((e) => !o.ready || e.state === "READY")
    .sort(byNameThenVersion)
    .map((e) => ({ ...e, version: String(e.version) }));
}

/** The body of `POST /v2/repository/index`: empty, or a JSON object whose optional `ready` is a boolean. */
export function parseIndexRequest(body: Buffer): { ready: boolean } {
  const text = body.toString("utf8").trim();
  if (!text) return { ready: false };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new OipError(400, "the repository index request is not valid JSON: send {} or {\"ready\": true}");
  }
  if (!json || typeof json !== "object" || Array.isArray(json)) throw new OipError(400, "the repository index request must be a JSON object: {} or {\"ready\": true}");
  const ready = (json as { ready?: unknown }).ready;
  if (ready !== undefined && typeof ready !== "boolean") throw new OipError(400, "'ready' must be true or false");
  return { ready: ready === true };
}

/** `POST /v2/repository/models/{name}/load|unload`: why Ferry does not take it, and what to do instead. */
export function modelControlRefusal(name: string, action: "load" | "unload"): OipError {
  return new OipError(
    400,
    `explicit model ${action} is not available: Ferry loads the versions endpoints route to. To ${action === "load" ? "serve" : "stop serving"} '${name}', ` +
      `${action === "load" ? "create or edit the endpoint" : "change or delete the endpoint"} in the dashboard or with PUT/DELETE /api/endpoints/{name}`,
  );
}
