/**
 * The API reference page's view of the OpenAPI document (build-openapi-document.ts): operations grouped by tag, and
 * each JSON schema flattened into rows a person reads — `variants[].weight`, "number 0 … 1000000", required or not,
 * its description — instead of nested JSON Schema. Pure.
 */

import { shellQuote } from "@/lib/oip/infer-curl";

type JsonSchema = Record<string, unknown>;

export interface FieldRow {
  /** Dotted path from the top of the body: `rules[].header`. */
  path: string;
  type: string;
  required: boolean;
  description?: string;
  /** Nesting depth (0 for top-level fields), for indentation. */
  depth: number;
}

export interface ParameterRow {
  name: string;
  in: "path" | "query";
  required: boolean;
  type: string;
  description?: string;
}

export interface ResponseView {
  status: string;
  description: string;
  /** The JSON body's fields (empty for no body or a body without named fields). */
  fields: FieldRow[];
  /** The body's type when it has no fields of its own (an array of strings, say). */
  type?: string;
}

export interface OperationView {
  /** A stable HTML id: `put-api-endpoints-name`. */
  anchor: string;
  method: string;
  path: string;
  summary: string;
  description?: string;
  role: string;
  parameters: ParameterRow[];
  body?: { contentType: string; fields: FieldRow[] };
  responses: ResponseView[];
}

export interface TagGroup {
  tag: string;
  operations: OperationView[];
}

/** The OpenAPI document's parts this view reads. */
export interface OpenApiLike {
  tags?: { name: string }[];
  paths: Record<string, Record<string, unknown>>;
}

interface OperationLike {
  summary?: string;
  description?: string;
  tags?: string[];
  "x-ferry-role"?: string;
  parameters?: { name: string; in: "path" | "query"; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}

const METHOD_ORDER = ["get", "post", "put", "patch", "delete"];
/** Rows per schema at most: the largest bodies (an endpoint's config) stay readable. */
const MAX_ROWS = 120;
const MAX_DEPTH = 4;

const isObject = (v: unknown): v is JsonSchema => typeof v === "object" && v !== null && !Array.isArray(v);

function bounds(s: JsonSchema): string {
  // zod writes ±Number.MAX_SAFE_INTEGER as the bounds of every int(): not limits worth reading.
  const real = (v: unknown) => (typeof v === "number" && Math.abs(v) !== Number.MAX_SAFE_INTEGER ? v : undefined);
  const min = real(s.minimum) ?? real(s.exclusiveMinimum);
  const max = real(s.maximum) ?? real(s.exclusiveMaximum);
  if (min !== undefined && max !== undefined) return ` ${min} … ${max}`;
  if (min !== undefined) return ` ${real(s.minimum) === undefined ? ">" : "≥"} ${min}`;
  if (max !== undefined) return ` ${real(s.maximum) === undefined ? "<" : "≤"} ${max}`;
  return "";
}

/** A schema's type in a few words: `integer ≥ 1`, `"ok" | "error"`, `array of objects`, `string (date-time)`. */
export function typeOf(schema: unknown): string {
  if (!isObject(schema)) return "any";
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const options = ((schema.anyOf ?? schema.oneOf) as unknown[]).map(typeOf);
    return [...new Set(options)].join(" | ");
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.map((v) => JSON.stringify(v));
    return values.length > 8 ? `${values.slice(0, 8).join(" | ")} | …` : values.join(" | ");
  }
  if (Array.isArray(schema.type)) return schema.type.map((t) => typeOf({ ...schema, type: t })).join(" | ");
  const type = schema.type;
  switch (type) {
    case "integer":
    case "number":
      return `${type}${bounds(schema)}`;
    case "string": {
      if (schema.format === "binary") return "file";
      const format = typeof schema.format === "string" ? ` (${schema.format})` : "";
      const length = schema.maxLength !== undefined ? `, ≤ ${schema.maxLength} characters` : "";
      return `string${format}${length}`;
    }
    case "array": {
      const items = schema.items;
      const itemType = typeOf(items);
      const inner = isObject(items) && (items.type === "object" || isObject(items.properties)) ? "objects" : itemType.includes(" | ") ? `(${itemType})` : itemType;
      const size = schema.maxItems !== undefined ? ` (≤ ${schema.maxItems})` : "";
      return `array of ${inner}${size}`;
    }
    case "object":
      return isObject(schema.properties) ? "object" : "object (any keys)";
    case "boolean":
    case "null":
      return type;
    default:
      return isObject(schema.properties) ? "object" : "any";
  }
}

/** The object schema a field's rows continue into: itself, its items, or the first object among its options. */
function nestedObject(schema: JsonSchema): { schema: JsonSchema; suffix: string } | undefined {
  if (isObject(schema.properties)) return { schema, suffix: "." };
  if (schema.type === "array" && isObject(schema.items)) {
    const inner = nestedObject(schema.items);
    return inner ? { schema: inner.schema, suffix: `[]${inner.suffix}` } : undefined;
  }
  const options = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(options)) {
    for (const o of options) {
      const inner = isObject(o) ? nestedObject(o) : undefined;
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Every named field of an object schema, depth first, with the fields of nested objects and arrays of objects. */
export function fieldRows(schema: unknown): FieldRow[] {
  const rows: FieldRow[] = [];
  const top = isObject(schema) ? nestedObject(schema) : undefined;
  if (!top) return rows;
  // A top-level object's fields are `name`; an array of objects' are `[].name`.
  walk(top.schema, top.suffix === "." ? "" : top.suffix, 0, rows);
  return rows;
}

function walk(schema: JsonSchema, prefix: string, depth: number, rows: FieldRow[]): void {
  const properties = schema.properties as Record<string, unknown>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  for (const [name, value] of Object.entries(properties)) {
    if (rows.length >= MAX_ROWS) return;
    const prop = isObject(value) ? value : {};
    const path = `${prefix}${name}`;
    rows.push({ path, type: typeOf(prop), required: required.has(name), description: typeof prop.description === "string" ? prop.description : undefined, depth });
    const nested = depth + 1 < MAX_DEPTH ? nestedObject(prop) : undefined;
    if (nested) walk(nested.schema, `${path}${nested.suffix}`, depth + 1, rows);
  }
}

const anchorOf = (method: string, path: string) => `${method}-${path}`.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/-+$/, "");

function operationView(method: string, path: string, op: OperationLike): OperationView {
  const content = op.requestBody?.content ?? {};
  const [contentType, media] = Object.entries(content)[0] ?? [];
  const responses = Object.entries(op.responses ?? {})
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, r]) => {
      const schema = r.content?.["application/json"]?.schema;
      const fields = fieldRows(schema);
      return { status, description: r.description ?? "", fields, type: schema && fields.length === 0 ? typeOf(schema) : undefined };
    });
  return {
    anchor: anchorOf(method, path),
    method: method.toUpperCase(),
    path,
    summary: op.summary ?? "",
    description: op.description,
    role: op["x-ferry-role"] ?? "viewer",
    parameters: (op.parameters ?? []).map((p) => ({
      name: p.name,
      in: p.in,
      required: p.required === true,
      type: typeOf(p.schema),
      description: p.description,
    })),
    body: contentType ? { contentType, fields: fieldRows(media?.schema) } : undefined,
    responses,
  };
}

/** Operations by tag in the document's tag order, each tag's operations by path then method. */
export function referenceView(doc: OpenApiLike): TagGroup[] {
  const groups = new Map<string, OperationView[]>((doc.tags ?? []).map((t) => [t.name, []]));
  const paths = Object.keys(doc.paths).sort();
  for (const path of paths) {
    const item = doc.paths[path];
    const methods = Object.keys(item).sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
    for (const method of methods) {
      const op = item[method] as OperationLike;
      const tag = op.tags?.[0] ?? "other";
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)!.push(operationView(method, path, op));
    }
  }
  return [...groups].filter(([, ops]) => ops.length > 0).map(([tag, operations]) => ({ tag, operations }));
}

/**
 * A curl command for an operation against the dashboard at `base`, the token in `$FERRY_TOKEN`: path parameters stay
 * as `{name}` to fill in; a JSON body is read from body.json; a multipart upload sends its file fields and the required
 * text fields. Lines end with a backslash.
 */
export function curlFor(op: OperationView, base: string): string {
  const lines = [`curl${op.method === "GET" ? "" : ` -X ${op.method}`} ${shellQuote(`${base.replace(/\/$/, "")}${op.path}`)}`];
  if (op.role !== "public") lines.push(`  -H "Authorization: Bearer $FERRY_TOKEN"`);
  if (op.body?.contentType === "application/json") lines.push("  -H 'content-type: application/json' -d @body.json");
  if (op.body?.contentType === "multipart/form-data") {
    for (const f of op.body.fields) {
      if (f.type === "file") lines.push(`  -F ${shellQuote(`${f.path}=@${f.path === "file" ? "model.onnx" : `${f.path}.csv`}`)}`);
      else if (f.required) lines.push(`  -F ${shellQuote(`${f.path}=…`)}`);
    }
  }
  return lines.join(" \\\n");
}
