/**
 * Reference datasets as uploaded: CSV with a header row, or JSON rows (an array of objects, or of arrays). Returns
 * columns of numbers (null = missing) or of strings for non-numeric columns. Pure.
 */

export interface ReferenceTable {
  columns: string[];
  /** One array per column, all of the same length. */
  values: (number | null)[][];
  /** Columns that are not numeric keep their text (categorical features). */
  text: (string[] | null)[];
  rows: number;
}

export class ReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReferenceError";
  }
}

const MAX_COLUMNS = 10_000;

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      field = "";
      if (!(row.length === 1 && row[0] === "")) rows.push(row);
      row = [];
    } else field += c;
  }
  if (quoted) throw new ReferenceError("the CSV ends inside a quoted field");
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function toNumber(v: unknown): number | null | undefined {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") {
    const t = v.trim();
    if (t === "" || /^(na|nan|null)$/i.test(t)) return null;
    const n = Number(t);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function tableFrom(columns: string[], cells: unknown[][]): ReferenceTable {
  if (!columns.length) throw new ReferenceError("the reference dataset has no columns");
  if (columns.length > MAX_COLUMNS) throw new ReferenceError(`the reference dataset has more than ${MAX_COLUMNS} columns`);
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new ReferenceError(`the reference dataset has two columns named '${c}'`);
    seen.add(c);
  }
  if (!cells.length) throw new ReferenceError("the reference dataset has a header but no rows");
  const values: (number | null)[][] = columns.map(() => new Array(cells.length));
  const text: (string[] | null)[] = columns.map(() => null);
  cells.forEach((row, r) => {
    if (row.length !== columns.length) {
      throw new ReferenceError(`row ${r + 1} of the reference dataset has ${row.length} values; the header has ${columns.length}`);
    }
    row.forEach((cell, c) => {
      const n = toNumber(cell);
      if (n === undefined) {
        text[c] ??= [];
        values[c][r] = null;
      } else values[c][r] = n;
    });
  });
  // A column with any non-numeric value is categorical: keep all its cells as text.
  text.forEach((t, c) => {
    if (t) text[c] = cells.map((row) => (row[c] === null || row[c] === undefined ? "" : String(row[c])));
  });
  return { columns, values, text, rows: cells.length };
}

export function parseReference(content: string, format?: "csv" | "json"): ReferenceTable {
  const trimmed = content.trimStart();
  const kind = format ?? (trimmed.startsWith("[") || trimmed.startsWith("{") ? "json" : "csv");
  if (kind === "json") {
    let data: unknown;
    try {
      data = JSON.parse(content);
    } catch (e) {
      throw new ReferenceError(`the reference dataset is not valid JSON: ${(e as Error).message}`);
    }
    if (data && typeof data === "object" && !Array.isArray(data) && Array.isArray((data as { rows?: unknown }).rows)) {
      data = (data as { rows: unknown[] }).rows;
    }
    if (!Array.isArray(data) || !data.length) throw new ReferenceError("a JSON reference dataset must be a non-empty array of rows");
    if (Array.isArray(data[0])) {
      const n = (data[0] as unknown[]).length;
      return tableFrom(Array.from({ length: n }, (_, i) => `f${i}`), data as unknown[][]);
    }
    if (typeof data[0] !== "object" || data[0] === null) throw new ReferenceError("JSON reference rows must be objects or arrays");
    const columns = Object.keys(data[0] as object);
    return tableFrom(
      columns,
      (data as Record<string, unknown>[]).map((row, r) => {
        if (!row || typeof row !== "object" || Array.isArray(row)) throw new ReferenceError(`row ${r + 1} of the reference dataset is not an object`);
        const keys = Object.keys(row);
        if (keys.length !== columns.length || keys.some((k) => !(k in (data as Record<string, unknown>[])[0]))) {
          throw new ReferenceError(`row ${r + 1} of the reference dataset has different keys from the first row`);
        }
        return columns.map((c) => row[c]);
      }),
    );
  }
  const rows = parseCsvRows(content);
  if (!rows.length) throw new ReferenceError("the reference dataset is empty");
  const header = rows[0].map((h) => h.trim());
  if (header.every((h) => toNumber(h) !== undefined && h !== "")) {
    throw new ReferenceError("the CSV's first row looks like data; a header row with the feature names is required");
  }
  return tableFrom(header, rows.slice(1));
}
