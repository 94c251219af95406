/**
 * A ground-truth file as an operator uploads it in the dashboard, read into feedback items: CSV with a header row
 * naming `request_id` and `label` and/or `value` columns, a JSON array of `{request_id, label | value}` objects, or
 * JSON Lines of them. Every row is checked with the feedback API's own item schema; bad rows are reported by line
 * (the first few) and left out. Pure, so the browser reads the file before anything is sent.
 */
import { parseCsvRows } from "@/lib/registry/parse-reference";
import { feedbackItemSchema, type FeedbackItem } from "./feedback-body";

export interface GroundTruthFile {
  items: FeedbackItem[];
  /** Rows left out, with why (at most MAX_PROBLEMS; `badRows` counts them all). */
  problems: string[];
  badRows: number;
}

export const MAX_PROBLEMS = 5;
/** Rows per request to the feedback API (well under its 10,000 items and 4 MiB). */
export const FEEDBACK_CHUNK = 2_000;

const ID_COLUMNS = ["request_id", "requestid", "id"];

/** A row read from the file: the object to check, or why it could not even be read. */
type Row = { line: number; value: unknown } | { line: number; error: string };

function fromRows(rows: Row[]): GroundTruthFile {
  const out: GroundTruthFile = { items: [], problems: [], badRows: 0 };
  for (const row of rows) {
    const { line } = row;
    if ("error" in row) {
      out.badRows++;
      if (out.problems.length < MAX_PROBLEMS) out.problems.push(`line ${line}: ${row.error}`);
      continue;
    }
    const parsed = feedbackItemSchema.safeParse(row.value);
    if (parsed.success) out.items.push(parsed.data);
    else {
      out.badRows++;
      if (out.problems.length < MAX_PROBLEMS) out.problems.push(`line ${line}: ${parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ")}`);
    }
  }
  return out;
}

function parseCsv(text: string): GroundTruthFile {
  const rows = parseCsvRows(text).filter((r) => r.some((f) => f.trim() !== ""));
  if (rows.length === 0) throw new Error("the file is empty");
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const id = header.findIndex((h) => ID_COLUMNS.includes(h));
  const label = header.indexOf("label");
  const value = header.indexOf("value");
  if (id < 0 || (label < 0 && value < 0)) {
    throw new Error(`the header row must name a request_id column and a label or value column (found: ${rows[0].slice(0, 6).join(", ") || "nothing"})`);
  }
  return fromRows(
    rows.slice(1).map((r, i): Row => {
      const item: Record<string, unknown> = { request_id: r[id]?.trim() ?? "" };
      const l = label >= 0 ? r[label]?.trim() : "";
      const v = value >= 0 ? r[value]?.trim() : "";
      if (l) item.label = l;
      if (!item.request_id) return { line: i + 2, error: "request_id is empty" };
      if (v && !Number.isFinite(Number(v))) return { line: i + 2, error: `value '${v.slice(0, 40)}' is not a number` };
      if (v) item.value = Number(v);
      return { line: i + 2, value: item };
    }),
  );
}

function parseJson(text: string): GroundTruthFile {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    let array: unknown;
    try {
      array = JSON.parse(trimmed);
    } catch (e) {
      throw new Error(`the JSON does not parse: ${(e as Error).message}`);
    }
    if (!Array.isArray(array)) throw new Error("the JSON must be an array of {request_id, label | value} objects");
    return fromRows(array.map((value, i) => ({ line: i + 1, value })));
  }
  const rows: Row[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    if (!l.trim()) return;
    try {
      rows.push({ line: i + 1, value: JSON.parse(l) });
    } catch {
      rows.push({ line: i + 1, error: "not JSON" });
    }
  });
  return fromRows(rows);
}

/** Throws an Error with a message for the person when the file as a whole cannot be read. */
export function parseGroundTruthFile(text: string, fileName: string): GroundTruthFile {
  const json = /\.(json|jsonl|ndjson)$/i.test(fileName) || /^\s*[[{]/.test(text);
  const file = json ? parseJson(text) : parseCsv(text);
  // A later row for the same request id wins, as in the API.
  const byId = new Map(file.items.map((item) => [item.request_id, item]));
  return { ...file, items: [...byId.values()] };
}

/** The items in request-sized chunks. */
export function feedbackChunks(items: readonly FeedbackItem[], size = FEEDBACK_CHUNK): FeedbackItem[][] {
  const chunks: FeedbackItem[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
