/** `?from&to` of the experiment view: ISO dates or epoch milliseconds; default the last hour; at most 31 days. Pure. */
import { badRequest } from "@/lib/errors";

const HOUR = 3_600_000;
const MAX_SPAN = 31 * 24 * HOUR;

function parseInstant(text: string | null, name: string): Date | undefined {
  if (text === null || text === "") return undefined;
  const d = /^\d+$/.test(text) ? new Date(Number(text)) : new Date(text);
  if (Number.isNaN(d.getTime())) throw badRequest(`${name}: not a date (ISO 8601 or epoch milliseconds): ${JSON.stringify(text)}`);
  return d;
}

export function experimentWindow(params: URLSearchParams, now = new Date()): { from: Date; to: Date } {
  const to = parseInstant(params.get("to"), "to") ?? now;
  const from = parseInstant(params.get("from"), "from") ?? new Date(to.getTime() - HOUR);
  if (from >= to) throw badRequest("from must be before to");
  if (to.getTime() - from.getTime() > MAX_SPAN) throw badRequest("the window may span at most 31 days");
  return { from, to };
}
