/**
 * The dashboard's "Try it": forwards an inference request body to the data plane's `POST /v2/models/{name}/infer`
 * with the control plane's internal token, and returns the answer with the version that served and the latency
 * measured here (what the person clicking Send waited for), and that version's class labels (for the top classes).
 */
import { config } from "@/lib/config";
import { inferUrl } from "@/lib/oip/infer-curl";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { loadVersionLabels } from "@/lib/registry/version-labels";
import { internalInferToken } from "./internal-infer-token";

export interface TryResult {
  status: number;
  /** The data plane's JSON answer (outputs, model_version…) or `{ error }`. */
  body: unknown;
  servedVersion: string | null;
  latencyMs: number;
  /** The serving version's class labels by output name, when it was uploaded with a labels file. */
  labels?: Readonly<Record<string, readonly string[]>>;
}

export async function tryEndpoint(opts: { db: Db; name: string; body: unknown; headers?: Record<string, string>; baseUrl?: string }): Promise<TryResult> {
  const token = await internalInferToken(opts.db);
  // Only routing headers (x-…) pass through: never authorization, host or framing headers.
  const extra = Object.fromEntries(Object.entries(opts.headers ?? {}).filter(([k]) => /^x-[a-z0-9-]+$/i.test(k)));
  const url = inferUrl(opts.baseUrl ?? config().inferenceUrl, opts.name);
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { ...extra, "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(opts.body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new AppError("unavailable", "the inference server cannot be reached (is the data plane running?)");
  }
  const text = await res.text();
  const latencyMs = performance.now() - started;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { error: `the data plane answered ${res.status} with a body that is not JSON` };
  }
  const servedVersion = res.headers.get("x-ferry-version");
  const labels = await labelsOf(opts.db, opts.name, servedVersion);
  return { status: res.status, body, servedVersion, latencyMs, ...(labels && { labels }) };
}

async function labelsOf(db: Db, endpoint: string, servedVersion: string | null): Promise<TryResult["labels"]> {
  const version = Number(servedVersion);
  if (servedVersion === null || !Number.isSafeInteger(version)) return undefined;
  const row = await db.endpoint.findUnique({ where: { name: endpoint }, select: { modelId: true } });
  return row ? (await loadVersionLabels(db, row.modelId, [version])).get(version) : undefined;
}
