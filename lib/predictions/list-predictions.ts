/**
 * Reads an endpoint's sampled prediction logs newest first, with its ground truth joined by request id, and keyset
 * pagination on (createdAt, id) so pages stay stable while the data plane keeps writing. `exportPredictions` walks the
 * same pages for a download.
 */
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { badRequest, notFound } from "@/lib/errors";
import { decodeKeysetCursor, encodeKeysetCursor, walkPages } from "@/lib/http/keyset-cursor";
import { predictionView, type PredictionView } from "./prediction-view";
import { loadVersionLabels } from "@/lib/registry/version-labels";

export interface PredictionFilters {
  version?: number;
  /** "ok" (2xx) or "error" (anything else the data plane logged). */
  outcome?: "ok" | "error";
  /** One request id: the id its client sent or the data plane gave it (several rows when a client reuses ids). */
  requestId?: string;
  from?: Date;
  to?: Date;
}

export const MAX_PAGE = 200;

/** How long prediction logs are kept; the retention job (lib/jobs/job-list.ts) deletes older rows. */
export const PREDICTION_LOG_RETENTION_DAYS = 7;

/** The cursor's time and log row id; a 400 for anything this API did not give out. */
export function decodePredictionCursor(cursor: string): { createdAt: Date; id: bigint } {
  const c = decodeKeysetCursor(cursor);
  if (!c || !/^\d{1,19}$/.test(c.id)) throw badRequest("cursor: not a cursor this API gave out (use nextCursor of the previous page)");
  return { createdAt: c.createdAt, id: BigInt(c.id) };
}

/** The endpoint's id, and its model's (whose class labels name predicted classes). */
async function endpointOf(db: Db, name: string): Promise<{ id: string; modelId: string }> {
  const endpoint = await db.endpoint.findUnique({ where: { name }, select: { id: true, modelId: true } });
  if (!endpoint) throw notFound(`endpoint '${name}' not found`);
  return endpoint;
}

async function page(db: Db, endpoint: { id: string; modelId: string }, f: PredictionFilters, cursor: string | undefined, limit: number) {
  const endpointId = endpoint.id;
  const and: Prisma.PredictionLogWhereInput[] = [{ endpointId }];
  if (f.version !== undefined) and.push({ version: f.version });
  if (f.outcome === "ok") and.push({ status: { gte: 200, lt: 300 } });
  if (f.outcome === "error") and.push({ OR: [{ status: { lt: 200 } }, { status: { gte: 300 } }] });
  if (f.requestId !== undefined) and.push({ requestId: f.requestId });
  if (f.from) and.push({ createdAt: { gte: f.from } });
  if (f.to) and.push({ createdAt: { lt: f.to } });
  if (cursor) {
    const c = decodePredictionCursor(cursor);
    and.push({ OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] });
  }
  const rows = await db.predictionLog.findMany({ where: { AND: and }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit + 1 });
  const shown = rows.slice(0, limit);
  const feedback = shown.length
    ? await db.feedback.findMany({ where: { endpointId, requestId: { in: shown.map((r) => r.requestId) } } })
    : [];
  const byRequest = new Map(feedback.map((f) => [f.requestId, f]));
  const labels = await loadVersionLabels(db, endpoint.modelId, shown.map((r) => r.version));
  return {
    predictions: shown.map((r) => predictionView(r, byRequest.get(r.requestId), labels.get(r.version))),
    nextCursor: rows.length > limit ? encodeKeysetCursor(shown[shown.length - 1]) : null,
  };
}

export async function listPredictions(opts: { db: Db; endpointName: string; filters?: PredictionFilters; cursor?: string; limit?: number }): Promise<{ endpoint: string; predictions: PredictionView[]; nextCursor: string | null }> {
  const endpoint = await endpointOf(opts.db, opts.endpointName);
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), MAX_PAGE);
  return { endpoint: opts.endpointName, ...(await page(opts.db, endpoint, opts.filters ?? {}, opts.cursor, limit)) };
}

/** Up to `max` predictions, newest first, a page at a time (the endpoint is checked before the first row is yielded). */
export async function exportPredictions(opts: { db: Db; endpointName: string; filters?: PredictionFilters; max: number }): Promise<AsyncGenerator<PredictionView>> {
  const endpoint = await endpointOf(opts.db, opts.endpointName);
  return walkPages(opts.max, MAX_PAGE, async (cursor, limit) => {
    const p = await page(opts.db, endpoint, opts.filters ?? {}, cursor, limit);
    return { rows: p.predictions, nextCursor: p.nextCursor };
  });
}
