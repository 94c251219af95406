/**
 * Opaque cursors for keyset pagination on (createdAt, id), newest first: the last row's time and id, base64url. The
 * audit log and the prediction log page with them, and their downloads walk the pages with `walkPages`.
 */

export function encodeKeysetCursor(row: { createdAt: Date; id: string | bigint }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`, "utf8").toString("base64url");
}

/** The cursor's time and id (as text), or undefined when it is not one `encodeKeysetCursor` made. */
export function decodeKeysetCursor(cursor: string): { createdAt: Date; id: string } | undefined {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(iso ?? "");
  return !id || Number.isNaN(createdAt.getTime()) ? undefined : { createdAt, id };
}

/** Up to `max` rows, a page of at most `pageSize` at a time, following each page's `nextCursor`: the JSON Lines downloads. */
export async function* walkPages<T>(max: number, pageSize: number, page: (cursor: string | undefined, limit: number) => Promise<{ rows: T[]; nextCursor: string | null }>): AsyncGenerator<T> {
  let cursor: string | undefined;
  let left = max;
  while (left > 0) {
    const p = await page(cursor, Math.min(pageSize, left));
    yield* p.rows;
    left -= p.rows.length;
    if (!p.nextCursor) return;
    cursor = p.nextCursor;
  }
}
