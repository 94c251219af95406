import { badRequest } from "@/lib/errors";

/**
 * A download of rows as JSON Lines, streamed as the rows are read (a page of the database at a time) rather than built
 * in memory: the predictions and audit exports. The client going away stops the reading.
 */
export function jsonlResponse(rows: AsyncGenerator<unknown>, filename: string): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await rows.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  return new Response(body, {
    headers: { "content-type": "application/x-ndjson; charset=utf-8", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "no-store" },
  });
}

/** `<what>-<UTC time, no colons>Z.jsonl`, e.g. `demo-predictions-2026-11-29T124501Z.jsonl`. */
export function jsonlFilename(what: string, now = new Date()): string {
  return `${what}-${now.toISOString().slice(0, 19).replace(/:/g, "")}Z.jsonl`;
}

/**
 * A list that pages JSON and downloads JSON Lines takes one `limit` for both: a page holds at most `maxPage` items, a
 * download up to the query schema's maximum. A page asked for with more is a 400 that says both.
 */
export function checkPageLimit(limit: number | undefined, o: { maxPage: number; maxExport: number; items: string }): void {
  if (limit !== undefined && limit > o.maxPage) {
    throw badRequest(`limit: at most ${o.maxPage} ${o.items} a page (a format=jsonl download takes up to ${o.maxExport})`);
  }
}
